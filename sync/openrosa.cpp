// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/openrosa.h"

#include <tinyxml2.h>

#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

#include "sync/crypto.h"
#include "sync/files.h"

namespace kiosk::sync {

namespace {

using tinyxml2::XMLElement;

// Element names compared without their prefix: servers differ in namespace prefixes, and
// ODK Central itself matches by local name.
bool local_name_is(const XMLElement* e, std::string_view name) {
  if (!e) return false;  // a document of text alone has no root element (found by fuzz_openrosa)
  std::string_view n = e->Name();
  if (auto colon = n.find(':'); colon != std::string_view::npos) n = n.substr(colon + 1);
  return n == name;
}

const XMLElement* child(const XMLElement* e, std::string_view name) {
  for (const XMLElement* c = e ? e->FirstChildElement() : nullptr; c; c = c->NextSiblingElement())
    if (local_name_is(c, name)) return c;
  return nullptr;
}

std::string text_of(const XMLElement* e) {
  const char* t = e ? e->GetText() : nullptr;
  return t ? t : "";
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace

bool is_openrosa_url(std::string_view outbox_url) {
  return outbox_url.substr(0, kOpenRosaScheme.size()) == kOpenRosaScheme;
}

std::optional<std::string> openrosa_base_url(std::string_view outbox_url, std::string* error) {
  std::string url(outbox_url);
  if (is_openrosa_url(url)) url.erase(0, kOpenRosaScheme.size());
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) {
    *error =
        "OpenRosa server URL must start with openrosa+https:// (or openrosa+http:// on a "
        "private network): " +
        redact_url(outbox_url);
    return std::nullopt;
  }
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string redact_url(std::string_view url) {
  std::string out(url);
  if (auto scheme = out.find("://"); scheme != std::string::npos) {
    const size_t host = scheme + 3;
    const size_t path = out.find('/', host);
    const size_t at = out.rfind('@', path == std::string::npos ? out.size() : path);
    if (at != std::string::npos && at >= host) out.replace(host, at - host, "…");
  }
  if (auto key = out.find("/key/"); key != std::string::npos) {
    const size_t start = key + 5;
    const size_t end = out.find('/', start);
    out.replace(start, (end == std::string::npos ? out.size() : end) - start, "…");
  }
  return out;
}

RequestHeaders openrosa_headers(int64_t now_unix) {
  std::time_t t = static_cast<std::time_t>(now_unix);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return {{"X-OpenRosa-Version", "1.0"}, {"Date", date}};
}

std::optional<std::vector<FormListEntry>> parse_form_list(std::string_view xml,
                                                          std::string* error) {
  tinyxml2::XMLDocument doc;
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS) {
    *error = std::string("form list: not XML (") + doc.ErrorStr() + ")";
    return std::nullopt;
  }
  const XMLElement* root = doc.RootElement();
  if (!local_name_is(root, "xforms")) {
    *error = "form list: the answer is not an OpenRosa form list (<xforms>)";
    return std::nullopt;
  }
  std::vector<FormListEntry> out;
  for (const XMLElement* x = root->FirstChildElement(); x; x = x->NextSiblingElement()) {
    if (!local_name_is(x, "xform")) continue;
    out.push_back({text_of(child(x, "formID")), text_of(child(x, "name")),
                   text_of(child(x, "version")), text_of(child(x, "hash")),
                   text_of(child(x, "downloadUrl"))});
  }
  return out;
}

std::optional<FormDefinition> parse_form_definition(std::string_view xml, std::string* error) {
  tinyxml2::XMLDocument doc;
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS) {
    *error = std::string("form definition: not XML (") + doc.ErrorStr() + ")";
    return std::nullopt;
  }
  const XMLElement* model = child(child(doc.RootElement(), "head"), "model");
  // The primary instance is the first <instance> without an id (secondary ones have one).
  const XMLElement* data = nullptr;
  for (const XMLElement* c = model ? model->FirstChildElement() : nullptr; c && !data;
       c = c->NextSiblingElement())
    if (local_name_is(c, "instance") && !c->Attribute("id")) data = c->FirstChildElement();
  if (!data || !data->Attribute("id")) {
    *error = "form definition: no primary instance with an id";
    return std::nullopt;
  }
  FormDefinition f;
  f.form_id = data->Attribute("id");
  if (const char* v = data->Attribute("version")) f.version = v;
  if (const XMLElement* s = child(model, "submission"))
    if (const char* key = s->Attribute("base64RsaPublicKey")) f.public_key = key;
  return f;
}

bool form_version_matches(std::string_view server_version, std::string_view expected) {
  if (server_version == expected) return true;
  constexpr std::string_view kSuffix = "[encrypted:";
  return server_version.size() > expected.size() + kSuffix.size() &&
         server_version.substr(0, expected.size()) == expected &&
         server_version.substr(expected.size(), kSuffix.size()) == kSuffix &&
         server_version.back() == ']';
}

std::optional<int64_t> accepted_content_length(const HttpResponse& head) {
  auto it = head.headers.find("x-openrosa-accept-content-length");
  if (it == head.headers.end()) return std::nullopt;
  const std::string& v = it->second;
  if (v.empty() || v.size() > 15 || v.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoll(v);
}

std::string server_message(const std::string& body) {
  tinyxml2::XMLDocument doc;
  if (doc.Parse(body.data(), body.size()) == tinyxml2::XML_SUCCESS && doc.RootElement())
    if (const XMLElement* m = child(doc.RootElement(), "message"))
      if (!text_of(m).empty()) return text_of(m);
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("message") && j["message"].is_string())
    return j["message"].get<std::string>();
  std::string cut = body.substr(0, 200);
  while (!cut.empty() && std::isspace(static_cast<unsigned char>(cut.back()))) cut.pop_back();
  return cut;
}

SubmitOutcome classify_submission_answer(const HttpResponse& r, const std::string& form_id,
                                         const std::string& form_version) {
  const std::string said = r.status >= 300 ? server_message(r.body) : "";
  const std::string answer = r.describe() + (said.empty() ? "" : ": " + said);
  const std::string form = "form " + form_id + " version " + form_version;
  // "A form should not be assumed to be submitted until a 201 or 202 response code is received
  // with an OpenRosaResponse envelope body"; a 200 is what a Wi-Fi login page or a proxy gives.
  if ((r.status == 201 || r.status == 202) && r.transport_error.empty()) {
    if (contains(r.body, "OpenRosaResponse")) return {SubmitVerdict::Delivered, ""};
    return {SubmitVerdict::Retry, r.describe() +
                                      " without an OpenRosaResponse: not counted as "
                                      "delivered (a proxy or a login page answered?)"};
  }
  if (r.ok())
    return {SubmitVerdict::Retry, r.describe() +
                                      ": an OpenRosa server answers a submission with "
                                      "201 or 202; this looks like a Wi-Fi login page "
                                      "or a proxy"};
  if (r.status == 0 || r.status == 408 || r.status == 429 || r.status >= 500)
    return {SubmitVerdict::Retry, answer};
  if (r.status == 401 || r.status == 403)
    return {SubmitVerdict::Park,
            answer +
                ". The server refused this kiosk's credentials: check the app user's token "
                "in KIOSK_OUTBOX_URL (or the user and password file), and that this user may "
                "submit to " +
                form +
                ". Restarting the kiosk with new credentials sends "
                "these items again."};
  if (r.status == 404)
    return {SubmitVerdict::Retry,
            answer + ". The server does not know " + form +
                " (or the project in KIOSK_OUTBOX_URL): upload the output of `kioskctl form "
                "export` for this pack version and publish it; items wait until then."};
  if (r.status == 409) {
    // ODK Central: 409.18 "This submission has been deleted": it reached the agency before.
    if (contains(said, "has been deleted")) return {SubmitVerdict::Delivered, answer};
    // A server that refuses a duplicate instanceID outright (KoboToolbox answers "Duplicate
    // submission"): the instanceID comes from this item's key alone and the item's bytes never
    // change, so the copy the server holds is this item. Not when it says the XML differs.
    std::string lower = said;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (contains(lower, "duplicate") && !contains(lower, "different"))
      return {SubmitVerdict::Delivered, answer};
    // 409.2 "This form is not currently accepting submissions": the form is closed.
    if (contains(said, "not currently accepting"))
      return {SubmitVerdict::Retry,
              answer + " The " + form + " is closed on the server; items wait until it opens."};
    return {SubmitVerdict::Park,
            answer +
                ". The server holds a different submission under this item's instanceID; "
                "the kiosk never changes a queued item, so this needs a person."};
  }
  return {SubmitVerdict::Park, answer};
}

std::optional<std::pair<std::string, std::string>> read_credentials_file(const std::string& path,
                                                                         std::string* error) {
  auto text = read_private_file(path, "credentials file", 4096, error);
  if (!text) return std::nullopt;
  std::string line = text->substr(0, text->find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const auto colon = line.find(':');
  wipe(*text);
  if (colon == std::string::npos || colon == 0) {
    wipe(line);
    *error = path + ":1: expected one line \"user:password\"";
    return std::nullopt;
  }
  std::pair<std::string, std::string> out{line.substr(0, colon), line.substr(colon + 1)};
  wipe(line);
  return out;
}

namespace {

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

bool get_u32(std::string_view& in, uint32_t* v) {
  if (in.size() < 4) return false;
  *v = 0;
  for (int i = 0; i < 4; ++i)
    *v |= static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  in.remove_prefix(4);
  return true;
}

bool get_string(std::string_view& in, std::string* out) {
  uint32_t n = 0;
  if (!get_u32(in, &n) || n > in.size()) return false;
  out->assign(in.substr(0, n));
  in.remove_prefix(n);
  return true;
}

}  // namespace

std::string encode_parts(const std::vector<FormPart>& parts) {
  std::string out;
  put_u32(out, static_cast<uint32_t>(parts.size()));
  for (const FormPart& p : parts)
    for (const std::string* s : {&p.name, &p.filename, &p.content_type, &p.data}) {
      put_u32(out, static_cast<uint32_t>(s->size()));
      out += *s;
    }
  return out;
}

std::optional<std::vector<FormPart>> decode_parts(std::string_view in) {
  uint32_t count = 0;
  if (!get_u32(in, &count) || count > 64) return std::nullopt;
  std::vector<FormPart> parts(count);
  for (FormPart& p : parts)
    for (std::string* s : {&p.name, &p.filename, &p.content_type, &p.data})
      if (!get_string(in, s)) return std::nullopt;
  if (!in.empty()) return std::nullopt;
  return parts;
}

}  // namespace kiosk::sync
