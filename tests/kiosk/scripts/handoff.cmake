# SPDX-License-Identifier: GPL-3.0-or-later
# kiosk.handoff_<lang>: a scripted visit sends its checklist to a help desk, end to end on the
# real kiosk binary, with an outbox that cannot deliver (nothing listens on port 9, so the item
# stays queued on disk for this check).
# Arguments: -DKIOSK=path -DKIOSKCTL=path -DSQLITE3=path -DSCRIPT=.kscript -DWORK=scratch folder
#            -DSENT_PHRASE=words of a finding the consent screen shows as sent
#            [-DOUTBOX_NAME=recipient name for KIOSK_OUTBOX_NAME]
#            [-DNO_REPO=1: an outbox without KIOSK_REPO_URL]
#            [-DOPENROSA=1: the outbox delivers to an OpenRosa server (ODK Central's URL form,
#             the form's key from `kioskctl form keygen` in KIOSK_OPENROSA_FORM_KEY) instead of
#             the reference receiver; the item is the form's encrypted submission]
# Checks: the script passes; the code shown on the consent screen has the K7F3-9QPX form; "no"
# then "yes" gives a new code, kept on the confirmation and the take-away; exactly one item of
# kind "handoff" is queued (so "no" queued nothing); neither the code nor the finding is
# readable in any file the kiosk wrote (the payload is sealed), and the code is in no log line.
function(fail what)
  message(FATAL_ERROR "${what}\n--- stdout:\n${OUT}\n--- stderr:\n${ERR}")
endfunction()

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/keys)
include(${CMAKE_CURRENT_LIST_DIR}/../../support/expect.cmake)
set(token "Secr3tAppUserToken")
if(OPENROSA)
  run_expecting(0 ${KIOSKCTL} form keygen --out ${WORK}/keys)
  set(env "KIOSK_OUTBOX_URL=openrosa+http://127.0.0.1:9/v1/key/${token}/projects/1"
      KIOSK_OPENROSA_FORM_KEY=${WORK}/keys/form.pub.pem --unset=KIOSK_AGENCY_KEY)
  set(want_dest openrosa)
else()
  run_expecting(0 ${KIOSKCTL} outbox keygen --out ${WORK}/keys)
  file(STRINGS ${WORK}/keys/agency.pub agency_key LIMIT_COUNT 1)
  set(env KIOSK_OUTBOX_URL=http://127.0.0.1:9/ KIOSK_AGENCY_KEY=${agency_key})
  set(want_dest box)
endif()
list(APPEND env XDG_STATE_HOME=${WORK}/state XDG_CACHE_HOME=${WORK}/cache)
if(NO_REPO)
  list(PREPEND env --unset=KIOSK_REPO_URL)
else()
  list(APPEND env KIOSK_REPO_URL=http://127.0.0.1:9/)
endif()
if(DEFINED OUTBOX_NAME)
  list(APPEND env "KIOSK_OUTBOX_NAME=${OUTBOX_NAME}")
else()
  list(PREPEND env --unset=KIOSK_OUTBOX_NAME)
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env ${env} ${KIOSK} --script ${SCRIPT}
                        --today 2026-11-27 --size 1080x1920
                RESULT_VARIABLE rc OUTPUT_VARIABLE OUT ERROR_VARIABLE ERR)
if(NOT rc EQUAL 0)
  fail("the scripted visit failed (exit ${rc})")
endif()

# The dumps of the consent screen (twice) and of the confirmation show the code alone.
set(code_re "[2-9A-HJ-NP-Z][2-9A-HJ-NP-Z][2-9A-HJ-NP-Z][2-9A-HJ-NP-Z]-[2-9A-HJ-NP-Z][2-9A-HJ-NP-Z][2-9A-HJ-NP-Z][2-9A-HJ-NP-Z]")
string(REGEX MATCHALL "text \"${code_re}\"" shown "${OUT}")
list(LENGTH shown n)
if(NOT n EQUAL 3)
  fail("expected the code alone on 3 dumped screens, found ${n}: ${shown}")
endif()
list(TRANSFORM shown REPLACE "text \"(.*)\"" "\\1")
list(GET shown 0 declined)
list(GET shown 1 sent)
list(GET shown 2 confirmed)
if(declined STREQUAL sent)
  fail("the second consent showed the declined code ${declined} again")
endif()
if(NOT sent STREQUAL confirmed)
  fail("the confirmation shows ${confirmed}, the consent screen showed ${sent}")
endif()
# The take-away (last dump) carries it: the checklist line and the sentence under the print button.
string(FIND "${OUT}" "screen takeaway" last_takeaway REVERSE)
string(SUBSTRING "${OUT}" ${last_takeaway} -1 takeaway)
string(REGEX MATCHALL "${sent}" on_takeaway "${takeaway}")
list(LENGTH on_takeaway n)
if(n LESS 2)
  fail("the take-away shows the code ${sent} ${n} times, expected at least 2")
endif()

# Logs say what happened, never the code.
string(FIND "${ERR}" "handoff queued" at)
if(at EQUAL -1)
  fail("no 'handoff queued' log line")
endif()
foreach(code ${declined} ${sent})
  string(FIND "${ERR}" "${code}" at)
  if(NOT at EQUAL -1)
    fail("the log contains the reference code ${code}")
  endif()
endforeach()
string(FIND "${ERR}${OUT}" "${token}" at)
if(NOT at EQUAL -1)
  fail("the app user's token (a secret in KIOSK_OUTBOX_URL) is in the output")
endif()

# Exactly one item, of kind handoff, waiting.
set(db ${WORK}/state/migrant-kiosk/sync.db)
execute_process(COMMAND ${SQLITE3} ${db} "SELECT kind || ' ' || state || ' ' || dest FROM outbox"
                RESULT_VARIABLE rc OUTPUT_VARIABLE items ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT items STREQUAL "handoff pending ${want_dest}\n")
  fail("outbox: expected exactly one pending handoff item for ${want_dest}, got '${items}' ${err}")
endif()
execute_process(COMMAND ${KIOSKCTL} outbox status --db ${db} OUTPUT_VARIABLE status)
string(FIND "${status}" "pending: 1\n" at)
if(at EQUAL -1)
  fail("kioskctl outbox status: ${status}")
endif()

string(FIND "${OUT}" "${SENT_PHRASE}" at)
if(at EQUAL -1)
  fail("the consent screen does not show the finding '${SENT_PHRASE}'")
endif()
# The payload is sealed: neither code nor the finding is readable in any file the kiosk wrote.
file(GLOB_RECURSE written ${WORK}/state/* ${WORK}/cache/*)
foreach(secret ${declined} ${sent} "${SENT_PHRASE}")
  string(HEX "${secret}" secret_hex)
  foreach(f ${written})
    file(READ ${f} bytes HEX)
    string(FIND "${bytes}" "${secret_hex}" at)
    if(NOT at EQUAL -1)
      fail("'${secret}' is readable in ${f}")
    endif()
  endforeach()
endforeach()
list(LENGTH written files)
message(STATUS "codes ${declined} (declined) and ${sent} (queued); 1 handoff item pending; "
               "${files} files searched, neither code nor finding readable")
