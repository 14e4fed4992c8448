# packaging.debs: CPack builds migrant-kiosk, migrant-kiosk-tools and migrant-kiosk-agency
# from this build (into WORK, not the build folder), and each holds what it should.
# Arguments: -DCPACK=path -DDPKG_DEB=path -DCONFIG=CPackConfig.cmake -DWORK=scratch folder
#            -DVERSION=x.y.z -DHAVE_KIOSK=ON|OFF (a build without the kiosk program)
# Checks: the file lists (no file in two packages; kioskctl only in -tools); the agency
# package depends on -tools and on no display, font, printing or speech library and not on
# the kiosk; its maintainer scripts make the kiosk-receiver user (systemd-sysusers); unpacked
# alone with -tools,
# its programs run.
cmake_minimum_required(VERSION 3.25)  # IN_LIST and other current policies in -P mode
include(${CMAKE_CURRENT_LIST_DIR}/../support/expect.cmake)
file(REMOVE_RECURSE ${WORK})
run_expecting(0 ${CPACK} -G DEB --config ${CONFIG} -B ${WORK})

set(packages migrant-kiosk migrant-kiosk-tools migrant-kiosk-agency)
foreach(p ${packages})
  file(GLOB deb ${WORK}/${p}_${VERSION}_*.deb)
  list(LENGTH deb n)
  if(NOT n EQUAL 1)
    message(FATAL_ERROR "expected one ${p}_${VERSION}_*.deb in ${WORK}, found ${n}")
  endif()
  set(deb_${p} ${deb})
  # The files (not folders) it installs, as "/usr/bin/x;/etc/y".
  run_expecting(0 ${DPKG_DEB} -c ${deb})
  string(REGEX MATCHALL "\n-[^\n]* \\./[^\n]+" entries "\n${OUT}")
  list(TRANSFORM entries REPLACE ".* \\./" "/")
  set(files_${p} ${entries})
  run_expecting(0 ${DPKG_DEB} -f ${deb} Depends)
  set(depends_${p} "${OUT}")
endforeach()

function(expect_files package)
  foreach(f ${ARGN})
    if(NOT f IN_LIST files_${package})
      message(FATAL_ERROR "${package} lacks ${f}; it has:\n${files_${package}}")
    endif()
  endforeach()
endfunction()
function(expect_no_files package)
  foreach(f ${ARGN})
    if(f IN_LIST files_${package})
      message(FATAL_ERROR "${package} must not ship ${f}")
    endif()
  endforeach()
endfunction()

# migrant-kiosk-tools: kioskctl, its manual page and what Debian policy wants in every
# package (copyright, changelog).
set(tools_files /usr/bin/kioskctl /usr/share/doc/migrant-kiosk-tools/changelog.gz
    /usr/share/doc/migrant-kiosk-tools/copyright /usr/share/man/man1/kioskctl.1.gz)
set(actual ${files_migrant-kiosk-tools})
list(SORT actual)
if(NOT actual STREQUAL tools_files)
  message(FATAL_ERROR "migrant-kiosk-tools holds:\n${actual}\nexpected:\n${tools_files}")
endif()
# migrant-kiosk-agency: exactly the receiver, its unit, its system user, its manual page and
# its documentation.
set(agency_files /usr/bin/kiosk-receiver /usr/lib/systemd/system/kiosk-receiver.service
    /usr/lib/sysusers.d/kiosk-receiver.conf
    /usr/share/doc/migrant-kiosk-agency/agency.md
    /usr/share/doc/migrant-kiosk-agency/changelog.gz
    /usr/share/doc/migrant-kiosk-agency/copyright
    /usr/share/doc/migrant-kiosk-agency/examples/kiosk-receiver.nginx.conf
    /usr/share/man/man1/kiosk-receiver.1.gz)
list(SORT agency_files)
set(actual ${files_migrant-kiosk-agency})
list(SORT actual)
if(NOT actual STREQUAL agency_files)
  message(FATAL_ERROR "migrant-kiosk-agency holds:\n${actual}\nexpected:\n${agency_files}")
endif()
# migrant-kiosk: the kiosk, its units and configuration.
expect_files(migrant-kiosk /usr/lib/systemd/system/cage-kiosk@.service
             /usr/lib/systemd/system/migrant-kiosk.service /etc/migrant-kiosk/kiosk.env
             /usr/share/doc/migrant-kiosk/deploy.md)
if(HAVE_KIOSK)
  expect_files(migrant-kiosk /usr/bin/kiosk)
endif()
expect_no_files(migrant-kiosk /usr/bin/kioskctl /usr/bin/kiosk-receiver)

# No file in two packages: dpkg would refuse to install the second.
set(seen "")
foreach(p ${packages})
  foreach(f ${files_${p}})
    if(f IN_LIST seen)
      message(FATAL_ERROR "${f} is in two packages (the second: ${p})")
    endif()
    list(APPEND seen ${f})
  endforeach()
endforeach()

# Dependencies. The agency's server runs no kiosk: no SDL, OpenGL, ImGui, fonts, HarfBuzz,
# FreeType, CUPS, cairo or espeak, and not the kiosk package itself.
expect_contains("${depends_migrant-kiosk-agency}" "migrant-kiosk-tools (= ${VERSION})")
expect_contains("${depends_migrant-kiosk-agency}" "systemd")
expect_contains("${depends_migrant-kiosk}" "migrant-kiosk-tools (= ${VERSION})")
foreach(p migrant-kiosk-agency migrant-kiosk-tools)
  foreach(ui libsdl2 libgl libegl libglx libopengl libimgui fonts- libharfbuzz libfreetype
             libcups libcairo libespeak libqrencode libpng)
    string(FIND "${depends_${p}}" "${ui}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${p} depends on ${ui}*: ${depends_${p}}")
    endif()
  endforeach()
  if(depends_${p} MATCHES "(^|, )migrant-kiosk( |,|\n|$)")
    message(FATAL_ERROR "${p} depends on the kiosk package: ${depends_${p}}")
  endif()
endforeach()

# The agency's maintainer scripts: valid sh, and the receiver's user is made.
set(control ${WORK}/control-agency)
run_expecting(0 ${DPKG_DEB} -e ${deb_migrant-kiosk-agency} ${control})
foreach(script postinst prerm postrm)
  if(NOT EXISTS ${control}/${script})
    message(FATAL_ERROR "migrant-kiosk-agency has no ${script}")
  endif()
  run_expecting(0 sh -n ${control}/${script})
endforeach()
file(READ ${control}/postinst postinst)
expect_contains("${postinst}" "systemd-sysusers")
expect_contains("${postinst}" "kiosk-receiver.conf")

# Unpacked without the kiosk, the agency's programs run.
set(root ${WORK}/root)
run_expecting(0 ${DPKG_DEB} -x ${deb_migrant-kiosk-agency} ${root})
run_expecting(0 ${DPKG_DEB} -x ${deb_migrant-kiosk-tools} ${root})
run_expecting(0 ${root}/usr/bin/kiosk-receiver --version)
expect_contains("${OUT}" "${VERSION}")
run_expecting(0 ${root}/usr/bin/kioskctl inbox --help)
expect_contains("${OUT}" "Exit codes:")
list(LENGTH files_migrant-kiosk n_kiosk)
message(STATUS "3 packages; migrant-kiosk ${n_kiosk} files; agency and tools run unpacked "
               "alone; agency Depends: ${depends_migrant-kiosk-agency}")
