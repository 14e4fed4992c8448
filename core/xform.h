// SPDX-License-Identifier: GPL-3.0-or-later
// XForm: the form an OpenRosa server (ODK Central, KoboToolbox, Ona) holds for a pack's
// hand-offs, and the submission instance the kiosk sends for each one (docs/sync-protocol.md,
// "OpenRosa destination"). Both come from here, so a submission always matches its form.
//
// The form follows the ODK XForms specification (https://getodk.github.io/xforms-spec/):
// a primary instance <data id=FORM_ID version=FORM_VERSION>, one field per hand-off field, a
// repeat `finding` with one entry per finding (rule, outcome, who must act, deadline), and
// meta/instanceID. Choice lists (procedure, rule, outcome, responsible party, language) carry
// stable values, so an agency can count and filter without parsing text; labels come in every
// language of the pack (itext translations), the office language first and default.
#pragma once

#include <string>

#include "core/counts.h"
#include "core/handoff.h"
#include "core/i18n.h"
#include "core/pack.h"

namespace kiosk::core {

// Bumped whenever the form's fields change: part of every form version, so a server holding an
// older layout refuses nothing silently (the kiosk checks the version before delivering).
constexpr int kHandoffFormLayout = 1;

struct FormIdentity {
  std::string id;       // "kiosk_handoff_jp_residence"
  std::string version;  // "2026.11.27-1": the pack version and the form layout
};

// The form a pack's hand-offs are submitted to. Depends only on the pack id and version.
FormIdentity handoff_form(const std::string& pack_id, const std::string& pack_version);

struct XFormOptions {
  // Base64 of the DER SubjectPublicKeyInfo of the agency's RSA key ("" = not encrypted). Put
  // into <submission base64RsaPublicKey=...>: ODK clients and this kiosk then encrypt each
  // submission so that only the agency can read it.
  std::string base64_rsa_public_key;
};

// The XForm (UTF-8 XML) for `pack`. `labels` formats the app's form strings ("form.*", from
// locales/) and the pack's messages in each of the pack's languages.
std::string export_handoff_xform(const Pack& pack, const Localizer& labels,
                                 const XFormOptions& options = {});

// "uuid:xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" from an outbox idempotency key (32 hex digits):
// the same key gives the same instanceID, so a retry after a lost answer is the same
// submission. Version and variant bits are set as RFC 4122 asks for a random UUID.
std::string instance_id_from_key(const std::string& key_hex);

// The submission instance for `h` (what an ODK client would produce for the form).
// `form_version` is the version the server holds (normally handoff_form(...).version).
std::string handoff_instance_xml(const Handoff& h, const std::string& form_version,
                                 const std::string& instance_id);

// --- Anonymous counts (core/counts.h) ---------------------------------------------------
// One submission per office and closed day: the day, office, k and epsilon, and one repeat
// `cell` per released cell (table, key, count or empty when withheld, and for findings the
// rule's outcome and responsible party). Counts carry no personal data; the form may go
// without an encryption key.
constexpr int kCountsFormLayout = 1;
FormIdentity counts_form(const std::string& pack_id, const std::string& pack_version);
std::string export_counts_xform(const Pack& pack, const Localizer& labels,
                                const XFormOptions& options = {});
std::string counts_instance_xml(const CountsRelease& release, const std::string& form_version,
                                const std::string& instance_id);

}  // namespace kiosk::core
