// SPDX-License-Identifier: GPL-3.0-or-later
// kiosk/printout.h: the take-away checklist as printed pages. Bilingual: the user's language
// beside the office's language, item by item, so counter staff read the same paper. Drawn by
// the text engine (every script shaped and ordered correctly), then handed to platform/print.
#pragma once

#include <string>
#include <vector>

#include "kiosk/checklist.h"
#include "kiosk/text/text_engine.h"
#include "platform/print.h"

namespace kiosk::ui {

std::vector<platform::PageImage> render_printout(text::TextEngine& text, const Checklist& user,
                                                 const std::string& user_lang,
                                                 const Checklist& office,
                                                 const std::string& office_lang, double dpi = 150);

}  // namespace kiosk::ui
