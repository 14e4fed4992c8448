// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/sync/openrosa_server.h"

#include <openssl/evp.h>
#include <tinyxml2.h>

#include <regex>

#include "sync/crypto.h"

namespace kiosk::sync::test {

namespace {

using tinyxml2::XMLElement;

std::string md5_hex(const std::string& s) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), d, &n, EVP_md5(), nullptr);
  return to_hex(std::string(reinterpret_cast<char*>(d), n));
}

bool named(const XMLElement* e, const char* local) {
  std::string n = e->Name();
  auto colon = n.find(':');
  return (colon == std::string::npos ? n : n.substr(colon + 1)) == local;
}

const XMLElement* find(const XMLElement* e, const char* local) {
  for (const XMLElement* c = e ? e->FirstChildElement() : nullptr; c; c = c->NextSiblingElement())
    if (named(c, local)) return c;
  return nullptr;
}

// Central's OpenRosaResponse envelope (lib/formats/openrosa.js), as recorded.
std::string openrosa_response(const std::string& message, bool error) {
  return "\n  <OpenRosaResponse xmlns=\"http://openrosa.org/http/response\" items=\"0\">\n"
         "    <message nature=\"" +
         std::string(error ? "error" : "") + "\">" + message + "</message>\n  </OpenRosaResponse>";
}

// key="value" pairs of a Digest Authorization header.
std::map<std::string, std::string> digest_fields(const std::string& header) {
  std::map<std::string, std::string> out;
  static const std::regex pair(R"re((\w+)=(?:"([^"]*)"|([^,\s]*)))re");
  for (auto it = std::sregex_iterator(header.begin(), header.end(), pair);
       it != std::sregex_iterator(); ++it)
    out[(*it)[1]] = (*it)[2].matched ? (*it)[2].str() : (*it)[3].str();
  return out;
}

}  // namespace

OpenRosaServer::OpenRosaServer(Auth auth, std::string user, std::string password)
    : auth_(auth), user_(std::move(user)), password_(std::move(password)) {
  routes();
}

OpenRosaServer::~OpenRosaServer() {
  stop();
}

std::string OpenRosaServer::prefix() const {
  return auth_ == Auth::Token ? "/v1/key/" + token_ + "/projects/1" : "/v1/projects/1";
}

std::string OpenRosaServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + prefix();
}

std::string OpenRosaServer::outbox_url() const {
  return "openrosa+" + base_url();
}

bool OpenRosaServer::start(std::string* error) {
  if (port_ == 0) {
    port_ = server_.bind_to_any_port("127.0.0.1");
  } else if (!server_.bind_to_port("127.0.0.1", port_)) {
    *error = "cannot listen on port " + std::to_string(port_) + " again";
    return false;
  }
  if (port_ <= 0) {
    *error = "cannot listen on 127.0.0.1";
    return false;
  }
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  for (int i = 0; i < 200 && !server_.is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return true;
}

void OpenRosaServer::stop() {
  if (!thread_.joinable()) return;
  server_.stop();
  thread_.join();
}

void OpenRosaServer::answer(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(openrosa_response(message, status >= 400), "text/xml; charset=utf-8");
}

void OpenRosaServer::record(const httplib::Request& req, int status) {
  Logged l{req.method, req.path, {}, {}, status};
  for (const auto& [k, v] : req.headers) {
    std::string lower = k;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    l.headers[lower] = v;
  }
  for (const auto& [name, file] : req.files) l.part_names.push_back(name);
  std::lock_guard lock(mutex_);
  log_.push_back(std::move(l));
}

bool OpenRosaServer::authorised(const httplib::Request& req, httplib::Response& res) {
  const std::string header = req.get_header_value("Authorization");
  auto refuse = [&](const std::string& challenge) {
    if (!challenge.empty()) res.set_header("WWW-Authenticate", challenge);
    answer(res, 401, "Could not authenticate with the provided credentials.");
    return false;
  };
  switch (auth_) {
    case Auth::Token:
      return true;  // the token is in the path: a wrong one matches no route (404 -> see below)
    case Auth::Basic:
    case Auth::CentralBasic: {
      const std::string want = "Basic " + [&] {
        std::string raw = user_ + ":" + password_;
        std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                        reinterpret_cast<const unsigned char*>(raw.data()),
                        static_cast<int>(raw.size()));
        out.resize(out.find('\0'));
        return out;
      }();
      if (header == want) return true;
      return refuse(auth_ == Auth::Basic ? "Basic realm=\"openrosa\"" : "");
    }
    case Auth::Digest: {
      const std::string challenge =
          "Digest realm=\"openrosa\", qop=\"auth\", nonce=\"" + nonce_ + "\", algorithm=MD5";
      if (header.rfind("Digest ", 0) != 0) return refuse(challenge);
      auto f = digest_fields(header);
      const std::string ha1 = md5_hex(user_ + ":openrosa:" + password_);
      const std::string ha2 = md5_hex(req.method + ":" + f["uri"]);
      const std::string want = md5_hex(ha1 + ":" + f["nonce"] + ":" + f["nc"] + ":" + f["cnonce"] +
                                       ":" + f["qop"] + ":" + ha2);
      if (f["username"] == user_ && f["nonce"] == nonce_ && f["response"] == want) return true;
      return refuse(challenge);
    }
  }
  return false;
}

void OpenRosaServer::publish(const std::string& form_xml, const std::string& public_key,
                             bool encrypt_as_central) {
  tinyxml2::XMLDocument doc;
  doc.Parse(form_xml.c_str());
  const XMLElement* model = find(find(doc.RootElement(), "head"), "model");
  const XMLElement* data = find(model, "instance")->FirstChildElement();
  const std::string id = data->Attribute("id");
  std::string version = data->Attribute("version") ? data->Attribute("version") : "";
  std::string xml = form_xml;
  if (encrypt_as_central) {
    // Central's managed encryption: a new version with a suffix, the key in <submission>.
    version += "[encrypted:AaI6i14V]";
    const std::string old_version = data->Attribute("version");
    xml.replace(xml.find("version=\"" + old_version + "\""), old_version.size() + 10,
                "version=\"" + version + "\"");
    xml.insert(xml.find("</model>"), "<submission base64RsaPublicKey=\"" + public_key + "\"/>");
  }
  std::lock_guard lock(mutex_);
  Form& f = forms_[id];
  f.xml = xml;
  f.listed_version = version;
  f.hash = "md5:" + md5_hex(xml);
  f.versions.push_back(version);
}

std::string OpenRosaServer::listed_version(const std::string& form_id) {
  std::lock_guard lock(mutex_);
  return forms_[form_id].listed_version;
}

std::string OpenRosaServer::served_form(const std::string& form_id) {
  std::lock_guard lock(mutex_);
  return forms_[form_id].xml;
}

void OpenRosaServer::close_form(const std::string& form_id) {
  std::lock_guard lock(mutex_);
  forms_[form_id].closed = true;
}

void OpenRosaServer::delete_submission(const std::string& instance_id) {
  std::lock_guard lock(mutex_);
  submissions_.erase(instance_id);
  deleted_.push_back(instance_id);
}

void OpenRosaServer::inject(int count, int status, std::string body,
                            std::map<std::string, std::string> headers,
                            std::chrono::milliseconds delay) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < count; ++i) injected_.push_back({status, body, headers, delay});
}

std::vector<OpenRosaServer::Submission> OpenRosaServer::submissions() {
  std::lock_guard lock(mutex_);
  std::vector<Submission> out;
  for (const auto& [id, s] : submissions_) out.push_back(s);
  return out;
}

std::vector<OpenRosaServer::Logged> OpenRosaServer::log() {
  std::lock_guard lock(mutex_);
  return log_;
}

size_t OpenRosaServer::log_size() {
  std::lock_guard lock(mutex_);
  return log_.size();
}

int OpenRosaServer::count(const std::string& method, const std::string& path_suffix) {
  std::lock_guard lock(mutex_);
  int n = 0;
  for (const auto& l : log_)
    if (l.method == method && l.path.size() >= path_suffix.size() &&
        l.path.compare(l.path.size() - path_suffix.size(), path_suffix.size(), path_suffix) == 0)
      ++n;
  return n;
}

void OpenRosaServer::routes() {
  server_.set_payload_max_length(8 << 20);
  // Credentials and the OpenRosa header are checked before the body is read, as Central does.
  server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (req.path.rfind(prefix(), 0) != 0) {
      answer(res, auth_ == Auth::Token && req.path.rfind("/v1/key/", 0) == 0 ? 401 : 404,
             auth_ == Auth::Token ? "Could not authenticate with the provided credentials."
                                  : "Could not find the resource you were looking for.");
      record(req, res.status);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!authorised(req, res)) {
      record(req, res.status);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.get_header_value("X-OpenRosa-Version") != "1.0" &&
        req.path.find("/forms/") == std::string::npos) {
      answer(res, 400,
             "An expected header field (X-OpenRosa-Version) did not match the expected format.");
      record(req, res.status);
      return httplib::Server::HandlerResponse::Handled;
    }
    res.set_header("X-OpenRosa-Version", "1.0");
    res.set_header("X-OpenRosa-Accept-Content-Length", std::to_string(accept_length_));
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // HEAD reaches the GET handler (cpp-httplib sends no body for it).
  server_.Get(R"(.*/submission)", [this](const httplib::Request& req, httplib::Response& res) {
    res.status = 204;
    record(req, 204);
  });

  server_.Get(R"(.*/formList)", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string only = req.get_param_value("formID");
    std::string xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n  <xforms "
        "xmlns=\"http://openrosa.org/xforms/xformsList\">";
    {
      std::lock_guard lock(mutex_);
      for (const auto& [id, f] : forms_) {
        if (f.closed || (!only.empty() && only != id)) continue;
        xml += "\n    <xform>\n      <formID>" + id + "</formID>\n      <name>" + id +
               "</name>\n      <version>" + f.listed_version + "</version>\n      <hash>" + f.hash +
               "</hash>\n      <downloadUrl>http://127.0.0.1:" + std::to_string(port_) + prefix() +
               "/forms/" + id + ".xml</downloadUrl>\n    </xform>";
      }
    }
    xml += "\n  </xforms>";
    res.set_content(xml, "text/xml; charset=utf-8");
    record(req, 200);
  });

  server_.Get(R"(.*/forms/([^/]+)\.xml)",
              [this](const httplib::Request& req, httplib::Response& res) {
                {
                  std::lock_guard lock(mutex_);
                  auto it = forms_.find(req.matches[1]);
                  res.status = it == forms_.end() ? 404 : 200;
                  if (it != forms_.end()) res.set_content(it->second.xml, "application/xml");
                }
                record(req, res.status);
              });

  server_.Post(R"(.*/submission)", [this](const httplib::Request& req, httplib::Response& res) {
    Injected injected{0, "", {}, std::chrono::milliseconds(0)};
    {
      std::lock_guard lock(mutex_);
      if (!injected_.empty()) {
        injected = injected_.front();
        injected_.erase(injected_.begin());
      }
    }
    if (injected.status != 0) {
      std::this_thread::sleep_for(injected.delay);
      res.status = injected.status;
      for (const auto& [k, v] : injected.headers) res.set_header(k, v);
      res.set_content(injected.body.empty() ? openrosa_response("injected", true) : injected.body,
                      "text/xml; charset=utf-8");
      record(req, res.status);
      return;
    }
    if (!req.has_file("xml_submission_file")) {
      answer(res, 400, "Required multipart POST field xml_submission_file missing.");
      record(req, 400);
      return;
    }
    const std::string xml = req.get_file_value("xml_submission_file").content;
    tinyxml2::XMLDocument doc;
    if (doc.Parse(xml.c_str()) != tinyxml2::XML_SUCCESS || !doc.RootElement()) {
      answer(res, 400, "A problem occurred while parsing your submission XML.");
      record(req, 400);
      return;
    }
    const XMLElement* root = doc.RootElement();
    const std::string form_id = root->Attribute("id") ? root->Attribute("id") : "";
    const std::string version = root->Attribute("version") ? root->Attribute("version") : "";
    const XMLElement* iid = find(find(root, "meta"), "instanceID");
    const std::string instance = iid && iid->GetText() ? iid->GetText() : "";
    {
      std::lock_guard lock(mutex_);
      auto form = forms_.find(form_id);
      if (form == forms_.end()) {
        answer(res, 404, "Could not find the resource you were looking for.");
      } else if (form->second.closed) {
        answer(res, 409,
               "This form is not currently accepting submissions. Please talk to your program "
               "staff if this is unexpected.");
      } else if (std::find(form->second.versions.begin(), form->second.versions.end(), version) ==
                 form->second.versions.end()) {
        answer(res, 404,
               "The form version specified in this submission &#39;" + version +
                   "&#39; does not exist.");
      } else if (std::find(deleted_.begin(), deleted_.end(), instance) != deleted_.end()) {
        answer(res, 409, "This submission has been deleted. You may not resubmit it.");
      } else if (submitted_xml_.count(instance) && submitted_xml_[instance] != xml) {
        answer(res, 409,
               "A submission already exists with this ID, but with different XML. Resubmissions to "
               "attach additional multimedia must resubmit an identical xml_submission_file.");
      } else {
        Submission& s = submissions_[instance];
        s.instance_id = instance;
        s.form_id = form_id;
        s.version = version;
        for (const auto& [name, file] : req.files) s.parts[name] = file.content;
        s.posts++;
        submitted_xml_[instance] = xml;
        answer(res, 201, "full submission upload was successful!");
      }
    }
    record(req, res.status);
    std::this_thread::sleep_for(injected.delay);  // stored, then slow to answer
  });
}

}  // namespace kiosk::sync::test
