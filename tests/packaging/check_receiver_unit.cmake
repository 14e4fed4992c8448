# SPDX-License-Identifier: GPL-3.0-or-later
# packaging.receiver_unit: kiosk-receiver.service as the agency package installs it.
# Arguments: -DSYSTEMD_ANALYZE=path (empty: skip) -DUNIT=the unit file -DRECEIVER=the built
#            binary -DWORK=scratch folder
# Checks: the hardening the unit promises is written in it; `systemd-analyze verify` finds
# nothing to say (with ExecStart pointed at the built receiver, since /usr/bin has none);
# `systemd-analyze security --offline` rates its exposure 1.5 or lower (1.0 is "SAFE";
# Debian 12's systemd 252 gives it 0.9).
cmake_minimum_required(VERSION 3.25)  # IN_LIST and other current policies in -P mode
include(${CMAKE_CURRENT_LIST_DIR}/../support/expect.cmake)
if(NOT SYSTEMD_ANALYZE)
  message("SKIPPED: systemd-analyze is not installed (package systemd); the unit is unchecked")
  return()
endif()

file(READ ${UNIT} unit)
foreach(line
    "ExecStart=/usr/bin/kiosk-receiver --host 127.0.0.1 " "User=kiosk-receiver\n"
    "StateDirectory=kiosk-receiver\n" "--db /var/lib/kiosk-receiver/items.db\n"
    "Type=notify\n" "ProtectSystem=strict\n" "ProtectHome=yes\n" "PrivateTmp=yes\n"
    "NoNewPrivileges=yes\n" "CapabilityBoundingSet=\n" "MemoryDenyWriteExecute=yes\n"
    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX\n" "SystemCallFilter=@system-service\n"
    "IPAddressAllow=localhost\n" "UMask=0027\n")
  expect_contains("${unit}" "${line}")
endforeach()

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
string(REPLACE "ExecStart=/usr/bin/kiosk-receiver" "ExecStart=${RECEIVER}" unit "${unit}")
file(WRITE ${WORK}/kiosk-receiver.service "${unit}")

run_expecting(0 ${SYSTEMD_ANALYZE} verify ${WORK}/kiosk-receiver.service)
if(NOT "${OUT}${ERR}" STREQUAL "")
  message(FATAL_ERROR "systemd-analyze verify has something to say:\n${OUT}${ERR}")
endif()
run_expecting(0 ${SYSTEMD_ANALYZE} security --offline=yes --threshold=15 --no-pager
              ${WORK}/kiosk-receiver.service)
string(REGEX MATCH "Overall exposure level for kiosk-receiver.service: [0-9.]+ [A-Z]+" level "${OUT}")
message(STATUS "systemd-analyze verify: clean; ${level}")
