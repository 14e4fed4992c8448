// SPDX-License-Identifier: GPL-3.0-or-later
// A loopback OpenRosa server for the tests and the scale bench: the endpoints the kiosk uses
// (HEAD/POST submission, formList, form download), answering as ODK Central answered in the
// run recorded in docs/sync-protocol.md ("Checked against ODK Central"): the same statuses,
// OpenRosaResponse bodies and messages for new, identical, conflicting and deleted
// submissions, unknown forms and versions, closed forms, missing X-OpenRosa-Version and bad
// credentials. It also speaks what Central does not, for other servers (KoboToolbox, Ona):
// a Digest challenge (RFC 7616, MD5, qop=auth) or a Basic one. Faults are injected per test.
#pragma once

#include <httplib.h>

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kiosk::sync::test {

class OpenRosaServer {
 public:
  enum class Auth {
    Token,         // an app user's token in the path: /v1/key/TOKEN/projects/1 (ODK Central)
    Digest,        // /v1/projects/1 with a Digest challenge (KoboToolbox, Ona)
    Basic,         // /v1/projects/1 with a Basic challenge
    CentralBasic,  // /v1/projects/1, 401 without a challenge; Basic accepted (ODK Central)
  };
  struct Submission {
    std::string instance_id, form_id, version;
    std::map<std::string, std::string> parts;  // multipart name -> bytes
    int posts = 0;                             // how many POSTs carried it (retries included)
  };
  struct Logged {
    std::string method, path;
    std::map<std::string, std::string> headers;  // lowercase names
    std::vector<std::string> part_names;
    int status = 0;
  };

  explicit OpenRosaServer(Auth auth = Auth::Token, std::string user = "kiosk",
                          std::string password = "s3cret pass");
  ~OpenRosaServer();
  bool start(std::string* error);  // 127.0.0.1, a free port (the same one again after stop())
  void stop();
  int port() const { return port_; }
  // The kiosk's KIOSK_OUTBOX_URL for this server.
  std::string outbox_url() const;
  std::string base_url() const;  // without "openrosa+"

  // Publishes a form (its XML as uploaded); a later version of the same id keeps the earlier
  // ones accepting submissions, as Central does. `encrypt_as_central`: the listed version gets
  // Central's "[encrypted:XXXXXXXX]" suffix and the XML carries `public_key`, as Central's
  // managed encryption does.
  void publish(const std::string& form_xml, const std::string& public_key = "",
               bool encrypt_as_central = false);
  std::string listed_version(const std::string& form_id);
  std::string served_form(const std::string& form_id);  // the XML a client downloads
  void close_form(const std::string& form_id);
  void delete_submission(const std::string& instance_id);
  void set_accept_content_length(int64_t bytes) { accept_length_ = bytes; }
  // The next `count` POST /submission requests get this answer instead of the normal one
  // (status 0: the normal answer); with `delay`, the answer comes after it, the submission
  // being stored first when the answer is the normal one: a delay beyond the client's timeout
  // is an answer lost on the way back.
  void inject(int count, int status, std::string body = "",
              std::map<std::string, std::string> headers = {},
              std::chrono::milliseconds delay = std::chrono::milliseconds(0));

  std::vector<Submission> submissions();
  std::vector<Logged> log();
  size_t log_size();
  int count(const std::string& method, const std::string& path_suffix);

 private:
  void routes();
  bool authorised(const httplib::Request& req, httplib::Response& res);
  std::string prefix() const;
  void answer(httplib::Response& res, int status, const std::string& message);
  void record(const httplib::Request& req, int status);

  Auth auth_;
  std::string user_, password_, token_ = "Tok3n!xyz$abc";
  std::string nonce_ = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  int64_t accept_length_ = 100000000;
  std::mutex mutex_;
  struct Form {
    std::string xml, listed_version, hash;
    std::vector<std::string> versions;  // every published version (submissions accepted)
    bool closed = false;
  };
  std::map<std::string, Form> forms_;
  std::map<std::string, Submission> submissions_;  // by instanceID
  std::map<std::string, std::string> submitted_xml_;
  std::vector<std::string> deleted_;
  struct Injected {
    int status;
    std::string body;
    std::map<std::string, std::string> headers;
    std::chrono::milliseconds delay;
  };
  std::vector<Injected> injected_;
  std::vector<Logged> log_;
};

}  // namespace kiosk::sync::test
