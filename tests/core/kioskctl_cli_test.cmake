# SPDX-License-Identifier: GPL-3.0-or-later
# Runs kioskctl like staff would and checks exit codes and key lines of its output.
# Arguments: -DKIOSKCTL=path -DDATA=tests/data -DVERSION=x.y.z -DWORK=scratch folder (wiped first).
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

include(${CMAKE_CURRENT_LIST_DIR}/../support/expect.cmake)
macro(run expected_rc)
  run_expecting(${expected_rc} ${KIOSKCTL} ${ARGN})
endmacro()

set(MINI ${DATA}/packs/mini)

# pack check: warnings only -> 0, with completeness; errors -> 1; unreadable folder -> 1.
run(0 pack check ${MINI})
expect_contains("${OUT}" "messages/ar.po: warning: 2 of 63 messages missing")
expect_contains("${OUT}" "  ar  96%")
expect_contains("${OUT}" "  en  100%")
file(COPY ${MINI}/ DESTINATION ${WORK}/broken)
file(WRITE ${WORK}/broken/pack.yaml "format: 2\n")
run(1 pack check ${WORK}/broken)
expect_contains("${OUT}" "pack.yaml:1:9: error: unsupported pack format '2'; this app reads format 1")
run(1 pack check ${WORK}/no-such-folder)

# check: readable and JSON; the JSON is byte-identical across runs.
file(WRITE ${WORK}/answers.json [=[{"applied": false, "card_expiry": "2027-01-31", "status": "work",
  "employment": "employee", "employer_docs": null, "months_worked": 12, "income": 3000000,
  "documents": ["photo", "passport"], "has_insurance": true}]=])
run(0 check --pack ${MINI} --answers ${WORK}/answers.json --today 2026-11-27)
expect_contains("${OUT}" "overall: ACTION")
expect_contains("${OUT}" "[ACTION] employer-docs  (unknown-input:employer_docs)")
run(0 check --pack ${MINI} --answers ${WORK}/answers.json --today 2026-11-27 --json --locale ja)
set(first "${OUT}")
expect_contains("${first}" "\"overall\": \"action\"")
expect_contains("${first}" "\"message\": \"今申請できます。カードの期限まであと65日です。\"")
run(0 check --pack ${MINI} --answers ${WORK}/answers.json --today 2026-11-27 --json --locale ja)
if(NOT first STREQUAL OUT)
  message(FATAL_ERROR "kioskctl check --json is not deterministic")
endif()
run(0 check --pack ${MINI} --answers ${WORK}/answers.json --today 2026-11-27 --check reentry)
expect_contains("${OUT}" "check reentry")

# Invalid answers, dates and arguments -> 2 with a clear message.
file(WRITE ${WORK}/bad-date.json "{\"card_expiry\": \"2026-02-30\"}")
run(2 check --pack ${MINI} --answers ${WORK}/bad-date.json --today 2026-11-27)
expect_contains("${ERR}" "question 'card_expiry': expected a real calendar date")
file(WRITE ${WORK}/unknown.json "{\"nationality\": \"x\"}")
run(2 check --pack ${MINI} --answers ${WORK}/unknown.json --today 2026-11-27)
expect_contains("${ERR}" "unknown question 'nationality'")
file(WRITE ${WORK}/type.json "{\"applied\": \"yes\"}")
run(2 check --pack ${MINI} --answers ${WORK}/type.json --today 2026-11-27)
expect_contains("${ERR}" "question 'applied': expected true or false")
run(2 check --pack ${MINI} --answers ${WORK}/answers.json --today 2026-02-30)
run(2 check --pack ${MINI} --answers ${WORK}/answers.json --today 2026-11-27 --check nope)
run(2 check --pack ${MINI})

# Pack store: install two versions, activate, roll back.
set(STORE ${WORK}/store.sqlite)
run(0 pack install ${MINI} --store ${STORE})
expect_contains("${OUT}" "installed test.mini 1.2.3")
file(COPY ${MINI}/ DESTINATION ${WORK}/v2)
file(READ ${WORK}/v2/pack.yaml manifest)
string(REPLACE "version: 1.2.3" "version: 1.3.0" manifest "${manifest}")
file(WRITE ${WORK}/v2/pack.yaml "${manifest}")
run(0 pack install ${WORK}/v2 --store ${STORE})
run(0 pack activate test.mini 1.2.3 --store ${STORE})
run(0 pack activate test.mini 1.3.0 --store ${STORE})
run(0 pack list --store ${STORE})
expect_contains("${OUT}" "* test.mini 1.3.0")
run(0 pack rollback test.mini --store ${STORE})
expect_contains("${OUT}" "active: test.mini 1.2.3")
run(1 pack activate test.mini 9.9 --store ${STORE})
run(1 pack install ${WORK}/broken --store ${STORE})

# A version the kiosk found not to load (marked bad in the store, as core::PackStore::mark_bad
# does at start or between visits): pack list says so and why; activate refuses it until
# --retry, which clears the mark. The mark is written with the sqlite3 shell (a Debian
# dependency, scripts/install-deps.sh): kioskctl itself never marks a version.
find_program(SQLITE3 sqlite3 REQUIRED)
set(BAD_REASON "pack.yaml:4:18: error: the pack needs app version 99.0 or newer; this is ${VERSION}")
# Not through run_expecting: the reason holds a ';', which a CMake argument list would split.
execute_process(
  COMMAND ${SQLITE3} ${STORE}
          "INSERT INTO bad(id, version, reason) VALUES('test.mini', '1.3.0', '${BAD_REASON}')"
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "sqlite3: ${err}")
endif()
run(0 pack list --store ${STORE})
expect_contains("${OUT}" "* test.mini 1.2.3")
expect_contains("${OUT}" "  test.mini 1.3.0  installed ")
expect_contains("${OUT}" "DOES NOT LOAD: ${BAD_REASON}\n")
string(REGEX MATCH "test.mini 1.2.3[^\n]*DOES NOT LOAD" good_marked "${OUT}")
if(good_marked)
  message(FATAL_ERROR "only 1.3.0 is marked:\n${OUT}")
endif()
run(1 pack activate test.mini 1.3.0 --store ${STORE})
expect_contains("${ERR}" "test.mini 1.3.0 does not load on this kiosk")
expect_contains("${ERR}" "(kioskctl pack activate --retry)")
run(0 pack list --store ${STORE})
expect_contains("${OUT}" "* test.mini 1.2.3")
run(0 pack activate test.mini 1.3.0 --retry --store ${STORE})
expect_contains("${OUT}" "active: test.mini 1.3.0")
run(0 pack list --store ${STORE})
expect_contains("${OUT}" "* test.mini 1.3.0")
string(FIND "${OUT}" "DOES NOT LOAD" at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "--retry should clear the mark:\n${OUT}")
endif()

# check on the demo pack with a persona (tests/data/personas): the card expired a week ago,
# the user applied in time. The finding that holds is explained in words; rules that did not
# fire show no message, so nothing reads "expires in -7 days" or "That is in -99 days".
set(DEMO ${DATA}/../../assets/packs/jp-residence)
file(READ ${DATA}/personas/06-applied-expired-last-week.json persona)
string(JSON persona_answers GET "${persona}" answers)
string(JSON persona_today GET "${persona}" today)
file(WRITE ${WORK}/persona-06.json "${persona_answers}")
run(0 check --pack ${DEMO} --answers ${WORK}/persona-06.json --today ${persona_today}
    --check extension --locale en)
expect_contains("${OUT}" "[ACTION] ext-special-period  (condition-true)\n  Your card has expired, but you applied in time.")
expect_contains("${OUT}" "[NOT APPLICABLE] ext-too-early  (not-applicable)\n  responsible: self\n")
expect_contains("${OUT}" "[NOT APPLICABLE] ext-window-open  (not-applicable)\n  responsible: self\n")
expect_contains("${OUT}" "[READY] ext-waiting  (condition-false)\n  responsible: self\n")
foreach(unfired "in -" "It is too early to apply" "You can apply now" "You have applied.")
  string(FIND "${OUT}" "${unfired}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "a rule that did not fire shows its message (\"${unfired}\"):\n${OUT}")
  endif()
endforeach()
