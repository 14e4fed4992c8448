// SPDX-License-Identifier: GPL-3.0-or-later
// OpenRosa: the protocol of ODK Central, KoboToolbox and Ona (docs/sync-protocol.md, section 3,
// with the specification's wording). What the outbox needs of it: where the endpoints are, the
// form list and a form's definition (to learn the version and encryption key the server holds),
// and what an answer to a submission means for the item.
//
// Specifications: OpenRosa Form Submission API (https://docs.getodk.org/openrosa-form-submission),
// Form List API (https://docs.getodk.org/openrosa-form-list), Central's notes
// (https://docs.getodk.org/central-api-openrosa-endpoints).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/http.h"

namespace kiosk::sync {

// "openrosa+https://central.example.org/v1/key/TOKEN/projects/1" selects an OpenRosa server.
constexpr std::string_view kOpenRosaScheme = "openrosa+";
bool is_openrosa_url(std::string_view outbox_url);

// The server's base URL (the part before /submission and /formList): the outbox URL without
// "openrosa+" and without a trailing '/'. nullopt and *error unless it is http(s).
std::optional<std::string> openrosa_base_url(std::string_view outbox_url, std::string* error);

// The URL for logs and staff screens: an app user's token (".../key/TOKEN/...") and any
// user:password@ are replaced by "…", since both are secrets.
std::string redact_url(std::string_view url);

// Headers every OpenRosa request carries: X-OpenRosa-Version: 1.0 (required by the
// specification; ODK Central answers 400 without it) and Date (RFC 7231, the client's clock).
RequestHeaders openrosa_headers(int64_t now_unix);

// One <xform> of a form list.
struct FormListEntry {
  std::string form_id, name, version, hash, download_url;
};
// Parses a Form List API answer (<xforms xmlns="http://openrosa.org/xforms/xformsList">).
std::optional<std::vector<FormListEntry>> parse_form_list(std::string_view xml, std::string* error);

// What the kiosk needs of a form definition downloaded from the server.
struct FormDefinition {
  std::string form_id, version;
  std::string public_key;  // base64RsaPublicKey of <submission>, "" when not encrypted
};
std::optional<FormDefinition> parse_form_definition(std::string_view xml, std::string* error);

// True when the server's version is the kiosk's `expected` one: the same string, or the same
// with the suffix ODK Central appends when it turns managed encryption on ("2026.11.27-1" ->
// "2026.11.27-1[encrypted:AaI6i14V]"; its submissions must then carry the suffixed version).
bool form_version_matches(std::string_view server_version, std::string_view expected);

// The size limit a HEAD /submission answer announces (X-OpenRosa-Accept-Content-Length);
// nullopt when there is none.
std::optional<int64_t> accepted_content_length(const HttpResponse& head);

// What an answer to POST /submission means for the item.
enum class SubmitVerdict {
  Delivered,  // 201/202 with an OpenRosaResponse; or a 409 saying the server had it and deleted it
  Retry,      // the network, a busy server, a 200 (a login page), or a state staff fix on the
              // server (form missing or closed)
  Park,       // never succeeds by itself: credentials, a conflict, a malformed item
};
struct SubmitOutcome {
  SubmitVerdict verdict = SubmitVerdict::Retry;
  std::string reason;  // for staff: what happened and what to do; never a payload
};
SubmitOutcome classify_submission_answer(const HttpResponse& r, const std::string& form_id,
                                         const std::string& form_version);

// The first <message> of an <OpenRosaResponse>, or of a JSON {"message": ...} (ODK Central's
// errors), else the first 200 bytes of the body.
std::string server_message(const std::string& body);

// Reads the user and password of an OpenRosa server from a file holding one line
// "user:password" (the password may hold ':'). Refuses a file group or others can read (it is
// a secret: root-only, or handed over by systemd's LoadCredential=). nullopt and *error naming
// the file otherwise.
std::optional<std::pair<std::string, std::string>> read_credentials_file(const std::string& path,
                                                                         std::string* error);

// Parts stored in the outbox and sent as multipart/form-data. Encoding: u32 count, then per
// part u32-length-prefixed name, filename, content type and data (little-endian).
std::string encode_parts(const std::vector<FormPart>& parts);
std::optional<std::vector<FormPart>> decode_parts(std::string_view bytes);

}  // namespace kiosk::sync
