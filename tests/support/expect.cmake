# SPDX-License-Identifier: GPL-3.0-or-later
# Helpers for the tests written as `cmake -P` scripts (kioskctl, store fixtures, hand-off).
#
# run_expecting(RC COMMAND ARGS...): runs the command; any other exit code fails the test,
# showing both outputs. Sets OUT and ERR in the caller. An argument must not hold a ';'
# (CMake would split it into two).
function(run_expecting expected_rc)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL expected_rc)
    message(FATAL_ERROR "${ARGN}\nexit ${rc}, expected ${expected_rc}\nstdout:\n${out}\nstderr:\n${err}")
  endif()
  set(OUT "${out}" PARENT_SCOPE)
  set(ERR "${err}" PARENT_SCOPE)
endfunction()

# expect_contains(TEXT NEEDLE): fails the test unless NEEDLE occurs in TEXT.
function(expect_contains text needle)
  string(FIND "${text}" "${needle}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "expected to find:\n${needle}\nin:\n${text}")
  endif()
endfunction()
