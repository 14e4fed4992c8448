// SPDX-License-Identifier: GPL-3.0-or-later
// Bridges evaluation results and message formatting (core/i18n.h): the placeholders a
// rule's message and remedy receive, and feeding a pack's catalogues to a Localizer.
// Used by kioskctl and by the kiosk's result screen so both format exactly alike.
#pragma once

#include "core/eval.h"
#include "core/i18n.h"

namespace kiosk::core {

// The rule's `values` (numbers as integers when whole, dates as dates, other values as
// text; unknown values left out) plus `deadline` when there is one.
Args message_args(const RuleResult& rule);

// Adds every catalogue of the pack to the localizer (replacing same-tag catalogues).
void add_pack_catalogues(const Pack& pack, Localizer& localizer);

// One language's messages: the app's own (the PO text of locales/TAG.po, when given) with the
// pack's on top. The kiosk and `kioskctl form export` format app and pack strings through one
// localizer this way (their ids never clash: the app's start with "ui." or "form.").
Localizer::Catalogue merged_catalogue(const Pack& pack, const std::string& tag,
                                      const std::string* ui_po_text);

}  // namespace kiosk::core
