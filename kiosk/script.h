// SPDX-License-Identifier: GPL-3.0-or-later
// kiosk/script.h: scripted UI sessions for end-to-end tests and translators' walkthroughs.
// A script drives the app by element names and asserts what the screen shows:
//
//   # comments and blank lines are ignored
//   tap lang.ne                 tap a named element (fails if it is not on screen)
//   expect-screen procedures    the current screen's stable name
//   expect-text निवास           some text on screen contains this (exact substring)
//   expect-no-text 1987-06-05   no text on screen contains this
//   expect-element answer.yes   an element with this name is on screen (and takes taps)
//   expect-disabled nav.back    an element is on screen but takes no taps
//   expect-left nav.back        an element's centre is on the left half (expect-right: right)
//   type ｚａｉｒｙｕ             text from a keyboard (the procedure search); backspace
//   open-staff                  what F12 or the hidden five-tap corner gesture does
//   advance 61                  the clock moves on (idle warning and reset tests)
//   wait-for-text 20 0 pending  redraw in real time until a text shows (at most 20 s): for
//   wait-for-element 20 ID      what other threads do (sync reads a form, delivers an item)
//   screenshot out.png          render the current screen to a PNG
//   dump                        print the screen's elements and texts (debugging)
//
// Errors are reported as "FILE:LINE: message" and make the script exit 1.
#pragma once

#include <string>

#include "core/date.h"

namespace kiosk::ui {

class App;
class Window;

int run_script(App& app, Window& window, const std::string& path, int width, int height,
               core::Date today);

}  // namespace kiosk::ui
