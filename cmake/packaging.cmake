# SPDX-License-Identifier: GPL-3.0-or-later
# cmake/packaging.cmake: install rules and three Debian packages built by CPack (components).
#   cmake --preset release && cmake --build --preset release && (cd build/release && cpack -G DEB)
# writes build/release/migrant-kiosk{,-tools,-agency}_<version>_<arch>.deb
# (tests/packaging checks their contents and dependencies).
# Included at the end of the top-level CMakeLists.txt, or injected without editing it with
# -DCMAKE_PROJECT_INCLUDE=<this file> (then it runs right after project(): targets defined
# later are installed through a deferred call at the end of the top-level directory).
#
# Each package also holds /usr/share/doc/<package>/{copyright,changelog.gz} (DEP-5, from
# platform/deploy/debian/) and the manual pages of its programs, made from their --help
# (platform/deploy/man/make-manpage.sh); binaries are stripped, their debug symbols go to
# <package>-dbgsym_<version>_<arch>.ddeb. tests/packaging runs lintian on all of them.
#
# migrant-kiosk (component kiosk; also every install() that names no component):
#   /usr/bin/kiosk
#   /usr/lib/systemd/system/{cage-kiosk@,migrant-kiosk}.service
#   /etc/migrant-kiosk/kiosk.env (conffile, 0600), /etc/pam.d/migrant-kiosk (conffile)
#   /usr/share/migrant-kiosk/{setup-kiosk.sh, hardening/*}: applied by setup-kiosk.sh only,
#     so installing the package on a workstation changes nothing until someone asks
#   /usr/share/doc/migrant-kiosk/deploy.md
# migrant-kiosk-agency (component agency), for a help desk's server, without the kiosk:
#   /usr/bin/kiosk-receiver, /usr/lib/systemd/system/kiosk-receiver.service (user
#   kiosk-receiver, made by its postinst), /usr/share/doc/migrant-kiosk-agency/{agency.md,
#   examples/kiosk-receiver.nginx.conf}
# migrant-kiosk-tools (component tools): /usr/bin/kioskctl, which both of them need (two
#   packages may not ship the same file), so both depend on it.
include_guard(GLOBAL)
include(GNUInstallDirs)
# For the CMAKE_PROJECT_INCLUDE path; the top-level CMakeLists.txt sets it for the other.
set(CMAKE_INSTALL_DEFAULT_COMPONENT_NAME kiosk)

set(KIOSK_DEPLOY_DIR ${CMAKE_CURRENT_LIST_DIR}/../platform/deploy)
cmake_path(NORMAL_PATH KIOSK_DEPLOY_DIR)

set(KIOSK_AGENCY_DEPLOY_DIR ${CMAKE_CURRENT_LIST_DIR}/../tools/receiver/deploy)
cmake_path(NORMAL_PATH KIOSK_AGENCY_DEPLOY_DIR)
set(KIOSK_DOCS_DIR ${CMAKE_CURRENT_LIST_DIR}/../docs)
cmake_path(NORMAL_PATH KIOSK_DOCS_DIR)

# ---- what every package holds: copyright, changelog, manual pages ------------------------
find_program(KIOSK_GZIP gzip REQUIRED)
find_program(KIOSK_HELP2MAN help2man)
set(_kiosk_pkg_dir ${CMAKE_BINARY_DIR}/packaging)
# Debian policy 12.7: the changelog of a native package is changelog.gz, compressed with
# gzip -9n (no name or time stamp, so the package is reproducible).
add_custom_command(OUTPUT ${_kiosk_pkg_dir}/changelog.gz
                   COMMAND ${KIOSK_GZIP} -9nc ${KIOSK_DEPLOY_DIR}/debian/changelog > changelog.gz
                   DEPENDS ${KIOSK_DEPLOY_DIR}/debian/changelog
                   WORKING_DIRECTORY ${_kiosk_pkg_dir} VERBATIM)
file(MAKE_DIRECTORY ${_kiosk_pkg_dir}/man)
set(_kiosk_pkg_outputs ${_kiosk_pkg_dir}/changelog.gz)
foreach(component kiosk tools agency)
  set(package migrant-kiosk)
  if(NOT component STREQUAL "kiosk")
    set(package migrant-kiosk-${component})
  endif()
  install(FILES ${KIOSK_DEPLOY_DIR}/debian/copyright ${_kiosk_pkg_dir}/changelog.gz
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${package} COMPONENT ${component})
endforeach()
# kiosk_manpage(TARGET NAME COMPONENT SUMMARY): NAME.1.gz from the program's --help.
function(kiosk_manpage target name component summary)
  if(NOT KIOSK_HELP2MAN)
    message(WARNING "packaging: help2man not found (apt install help2man): the packages "
                    "will hold no manual page for ${name}")
    return()
  endif()
  set(page ${_kiosk_pkg_dir}/man/${name}.1)
  add_custom_command(OUTPUT ${page}.gz
                     COMMAND ${KIOSK_DEPLOY_DIR}/man/make-manpage.sh $<TARGET_FILE:${target}>
                             ${summary} ${page}
                     COMMAND ${KIOSK_GZIP} -9nf ${page}
                     DEPENDS ${target} ${KIOSK_DEPLOY_DIR}/man/make-manpage.sh
                             ${KIOSK_DEPLOY_DIR}/man/cli11-help.sh VERBATIM)
  set(_kiosk_pkg_outputs ${_kiosk_pkg_outputs} ${page}.gz PARENT_SCOPE)
  install(FILES ${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT ${component})
endfunction()

# ---- migrant-kiosk ------------------------------------------------------------------------
install(FILES ${KIOSK_DEPLOY_DIR}/cage-kiosk@.service ${KIOSK_DEPLOY_DIR}/migrant-kiosk.service
        DESTINATION lib/systemd/system COMPONENT kiosk)
install(FILES ${KIOSK_DEPLOY_DIR}/kiosk.env DESTINATION /etc/migrant-kiosk
        PERMISSIONS OWNER_READ OWNER_WRITE COMPONENT kiosk)
install(FILES ${KIOSK_DEPLOY_DIR}/pam.d/migrant-kiosk DESTINATION /etc/pam.d COMPONENT kiosk)
install(FILES ${KIOSK_DEPLOY_DIR}/sysusers-migrant-kiosk.conf DESTINATION lib/sysusers.d
        RENAME migrant-kiosk.conf COMPONENT kiosk)
# kiosk.env is 0600 on purpose; lintian's override says why.
install(FILES ${KIOSK_DEPLOY_DIR}/debian/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
        RENAME migrant-kiosk COMPONENT kiosk)
install(PROGRAMS ${KIOSK_DEPLOY_DIR}/setup-kiosk.sh DESTINATION ${CMAKE_INSTALL_DATADIR}/migrant-kiosk
        COMPONENT kiosk)
install(FILES ${KIOSK_DEPLOY_DIR}/hardening/logind-migrant-kiosk.conf
              ${KIOSK_DEPLOY_DIR}/hardening/sysctl-migrant-kiosk.conf
        DESTINATION ${CMAKE_INSTALL_DATADIR}/migrant-kiosk/hardening COMPONENT kiosk)
if(EXISTS ${KIOSK_DOCS_DIR}/deploy.md)
  install(FILES ${KIOSK_DOCS_DIR}/deploy.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/migrant-kiosk
          COMPONENT kiosk)
endif()

# ---- migrant-kiosk-agency -----------------------------------------------------------------
install(FILES ${KIOSK_AGENCY_DEPLOY_DIR}/kiosk-receiver.service DESTINATION lib/systemd/system
        COMPONENT agency)
install(FILES ${KIOSK_AGENCY_DEPLOY_DIR}/sysusers-kiosk-receiver.conf DESTINATION lib/sysusers.d
        RENAME kiosk-receiver.conf COMPONENT agency)
install(FILES ${KIOSK_AGENCY_DEPLOY_DIR}/kiosk-receiver.nginx.conf
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/migrant-kiosk-agency/examples COMPONENT agency)
if(EXISTS ${KIOSK_DOCS_DIR}/agency.md)
  install(FILES ${KIOSK_DOCS_DIR}/agency.md
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/migrant-kiosk-agency COMPONENT agency)
endif()

# The programs exist only once their folders are processed; install them at the end.
# (The kiosk installs itself in kiosk/CMakeLists.txt, into the default component.)
function(_kiosk_install_programs)
  if(TARGET kioskctl)
    install(TARGETS kioskctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT tools)
    kiosk_manpage(kioskctl kioskctl tools "staff tool of the migrant kiosk: packs, outbox, hand-offs, counts")
  endif()
  if(TARGET kiosk_receiver)
    install(TARGETS kiosk_receiver RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT agency)
    kiosk_manpage(kiosk_receiver kiosk-receiver agency "receiver of the hand-offs migrant kiosks send")
  endif()
  if(TARGET kiosk)
    kiosk_manpage(kiosk kiosk kiosk "touch-first multilingual self-service kiosk for residence procedures")
  endif()
  add_custom_target(kiosk_package_docs ALL DEPENDS ${_kiosk_pkg_outputs})
  if(NOT TARGET kiosk)
    message(WARNING "packaging: no target 'kiosk' (KIOSK_BUILD_UI=OFF?): the package "
                    "migrant-kiosk will hold no kiosk program")
  endif()
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL _kiosk_install_programs)

# ---- CPack: three Debian packages, one per component -------------------------------------
set(CPACK_PACKAGE_NAME migrant-kiosk)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "migrant-kiosk contributors")
set(CPACK_PACKAGE_CONTACT "migrant-kiosk maintainers <maintainers@migrant-kiosk.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Multilingual self-service kiosk for residence procedures, and its agency tools")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL kiosk tools agency)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # migrant-kiosk_0.1.0_amd64.deb, migrant-kiosk-agency_...
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library dependencies come from dpkg-shlibdeps, per package; each package's Depends below
# adds what it cannot see.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Stripped programs; their debug symbols in <package>-dbgsym (.ddeb, by build id), as
# debhelper's dh_strip does. Needs a build with -g (the dev and release presets have it).
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://migrant-kiosk.invalid/")
# Absolute destinations (/etc) are intended: a kiosk's configuration lives there.
set(CPACK_WARN_ON_ABSOLUTE_INSTALL_DESTINATION OFF)
set(_kiosk_tools_depends "migrant-kiosk-tools (= ${PROJECT_VERSION})")

# migrant-kiosk. Besides data and tools, the libraries the kiosk opens with dlopen on first
# use (platform/lazy_library.h: printing, read-aloud, sync), which are not in its NEEDED list
# any more. Their sonames (libcups.so.2, libcairo.so.2, libespeak-ng.so.1, libcurl.so.4) and
# minimum versions are the ones Debian 12's shlibs files give; keep them in step with the
# sonames in platform/, sync/http.cpp and sync/form_crypto.cpp (libcrypto.so.3, in libssl3).
set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME migrant-kiosk)
string(CONCAT CPACK_COMPONENT_KIOSK_DESCRIPTION
    "offline multilingual self-service kiosk for residence procedures\n"
    "A touch-first kiosk that guides migrants through residence procedures in\n"
    "their own language and checks readiness locally: answers stay in memory\n"
    "and are wiped after each visit. It prints or shows a QR checklist, syncs\n"
    "signed content packs and, with the visitor's consent, hands the checklist\n"
    "to a help desk. Runs full screen in cage under systemd.")
set(_kiosk_dlopened_libraries
    "libcups2 (>= 2.4.2), libcairo2 (>= 1.16.0), libespeak-ng1 (>= 1.51+dfsg), libcurl4 (>= 7.88.1), libssl3 (>= 3.0.0)")
# systemd: its units, and systemd-sysusers makes the kiosk user (deb-systemd-invoke, in prerm,
# is in the essential init-system-helpers).
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS
    "fonts-noto-core, fonts-noto-cjk, espeak-ng-data, systemd, ${_kiosk_dlopened_libraries}, ${_kiosk_tools_depends}")
set(CPACK_DEBIAN_KIOSK_PACKAGE_RECOMMENDS "cage, cups")
set(CPACK_DEBIAN_KIOSK_PACKAGE_SUGGESTS "printer-driver-all")
# Maintainer scripts and the list of configuration files dpkg must not overwrite.
set(_kiosk_conffiles ${CMAKE_BINARY_DIR}/packaging/conffiles)
file(WRITE ${_kiosk_conffiles} "/etc/migrant-kiosk/kiosk.env\n/etc/pam.d/migrant-kiosk\n")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA
    ${KIOSK_DEPLOY_DIR}/debian/postinst ${KIOSK_DEPLOY_DIR}/debian/prerm
    ${KIOSK_DEPLOY_DIR}/debian/postrm ${_kiosk_conffiles})

# migrant-kiosk-tools: kioskctl links core/ and sync/ alone (no display, no network library).
set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME migrant-kiosk-tools)
string(CONCAT CPACK_COMPONENT_TOOLS_DESCRIPTION
    "staff tool of the migrant kiosk (kioskctl)\n"
    "Checks and installs content packs, publishes a signed pack repository,\n"
    "shows a kiosk's outbox, exports the hand-off form for an OpenRosa server,\n"
    "reads the hand-offs an agency's receiver stored (kioskctl inbox) and\n"
    "reports the kiosks' anonymous counts (kioskctl counts report).")
# kioskctl opens libcurl (repo commands) and libcrypto (form keygen, form export --key) on
# first use, like the kiosk.
set(CPACK_DEBIAN_TOOLS_PACKAGE_DEPENDS "libcurl4 (>= 7.88.1), libssl3 (>= 3.0.0)")
# Until 0.2.0, /usr/bin/kioskctl was in migrant-kiosk: an upgrade moves it here.
set(CPACK_DEBIAN_TOOLS_PACKAGE_REPLACES "migrant-kiosk (<< 0.2.0)")
set(CPACK_DEBIAN_TOOLS_PACKAGE_BREAKS "migrant-kiosk (<< 0.2.0)")

# migrant-kiosk-agency: the receiver for an agency's server; no kiosk, no display libraries.
set(CPACK_DEBIAN_AGENCY_PACKAGE_NAME migrant-kiosk-agency)
set(CPACK_DEBIAN_AGENCY_PACKAGE_SECTION net)
string(CONCAT CPACK_COMPONENT_AGENCY_DESCRIPTION
    "receiver of migrant kiosk hand-offs for a help desk\n"
    "kiosk-receiver stores the sealed items migrant kiosks send (hand-offs a\n"
    "visitor consented to) behind nginx with TLS, as a hardened systemd\n"
    "service; the help desk reads them with kioskctl inbox and the agency's\n"
    "secret key. See agency.md.")
# init-system-helpers is essential, but its deb-systemd-helper honours DPKG_ROOT only lately.
set(CPACK_DEBIAN_AGENCY_PACKAGE_DEPENDS "systemd, init-system-helpers (>= 1.65), ${_kiosk_tools_depends}")
set(CPACK_DEBIAN_AGENCY_PACKAGE_RECOMMENDS "nginx-light | nginx, sqlite3")
set(CPACK_DEBIAN_AGENCY_PACKAGE_SUGGESTS "certbot")
set(_kiosk_agency_scripts ${KIOSK_AGENCY_DEPLOY_DIR}/debian)
set(CPACK_DEBIAN_AGENCY_PACKAGE_CONTROL_EXTRA
    ${_kiosk_agency_scripts}/postinst ${_kiosk_agency_scripts}/prerm ${_kiosk_agency_scripts}/postrm)

# CPack 3.25 writes the -dbgsym packages' md5sums with the build folder's absolute paths and
# gives them no documentation folder; this mends both after each build.
set(CPACK_POST_BUILD_SCRIPTS ${CMAKE_CURRENT_LIST_DIR}/mend-ddebs.cmake)
include(CPack)
