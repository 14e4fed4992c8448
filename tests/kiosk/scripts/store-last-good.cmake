# SPDX-License-Identifier: GPL-3.0-or-later
# kiosk.store_last_good: a pack store whose active version does not load on this kiosk.
# Arguments: -DMODE=setup|check -DKIOSKCTL=path -DSQLITE3=path -DPACK=demo pack folder
#            -DWORK=scratch folder (setup wipes it) [-DGOOD=version, default 2026.11.28;
#            "none" installs no good version].
# setup: installs the demo pack as GOOD and as 2026.12.1 (active), then rewrites 2026.12.1's
#   min_app_version inside the store to 99.0: what a kiosk sees after its app was downgraded
#   below what an installed pack needs (install itself refuses such a pack).
# check (after the kiosk ran): the store says 2026.11.28 runs and 2026.12.1 does not load, and
#   activate refuses 2026.12.1 until --retry.
set(STORE ${WORK}/state/migrant-kiosk/packs.db)
if(NOT DEFINED GOOD)
  set(GOOD 2026.11.28)
endif()
set(VERSIONS ${GOOD} 2026.12.1)
list(REMOVE_ITEM VERSIONS none)

include(${CMAKE_CURRENT_LIST_DIR}/../../support/expect.cmake)
# kioskctl(RC ARGS...): OUT holds what it printed on both streams.
macro(kioskctl expected_rc)
  run_expecting(${expected_rc} ${KIOSKCTL} ${ARGN})
  set(OUT "${OUT}${ERR}")
endmacro()

if(MODE STREQUAL "setup")
  file(REMOVE_RECURSE ${WORK})
  file(MAKE_DIRECTORY ${WORK}/state/migrant-kiosk)
  foreach(version ${VERSIONS})
    file(COPY ${PACK}/ DESTINATION ${WORK}/${version})
    file(READ ${WORK}/${version}/pack.yaml manifest)
    string(REGEX REPLACE "\nversion: [0-9.]+" "\nversion: ${version}" manifest "${manifest}")
    file(WRITE ${WORK}/${version}/pack.yaml "${manifest}")
    kioskctl(0 pack install ${WORK}/${version} --store ${STORE})
  endforeach()
  foreach(version ${VERSIONS})
    kioskctl(0 pack activate jp.residence ${version} --store ${STORE})
  endforeach()
  run_expecting(0 ${SQLITE3} ${STORE}
    "UPDATE pack_files SET bytes = CAST(replace(CAST(bytes AS TEXT), 'min_app_version: ', 'min_app_version: 99.0 #') AS BLOB) WHERE id = 'jp.residence' AND version = '2026.12.1' AND path = 'pack.yaml'")
elseif(MODE STREQUAL "check")
  kioskctl(0 pack list --store ${STORE})
  expect_contains("${OUT}" "* jp.residence 2026.11.28")
  expect_contains("${OUT}" "  jp.residence 2026.12.1")
  expect_contains("${OUT}" "DOES NOT LOAD: pack.yaml:")
  expect_contains("${OUT}" "error: the pack needs app version 99.0 or newer")
  kioskctl(1 pack activate jp.residence 2026.12.1 --store ${STORE})
  expect_contains("${OUT}" "jp.residence 2026.12.1 does not load on this kiosk")
  expect_contains("${OUT}" "(kioskctl pack activate --retry)")
  kioskctl(0 pack activate jp.residence 2026.12.1 --retry --store ${STORE})
  kioskctl(0 pack list --store ${STORE})
  expect_contains("${OUT}" "* jp.residence 2026.12.1")
  string(FIND "${OUT}" "DOES NOT LOAD" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "--retry should clear the mark:\n${OUT}")
  endif()
else()
  message(FATAL_ERROR "MODE must be setup or check")
endif()
