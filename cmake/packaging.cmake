# cmake/packaging.cmake: install rules and three Debian packages built by CPack (components).
#   cmake --preset release && cmake --build --preset release && (cd build/release && cpack -G DEB)
# writes build/release/migrant-kiosk{,-tools,-agency}_<version>_<arch>.deb
# (tests/packaging checks their contents and dependencies).
# Included at the end of the top-level CMakeLists.txt, or injected without editing it with
# -DCMAKE_PROJECT_INCLUDE=<this file> (then it runs right after project(): targets defined
# later are installed through a deferred call at the end of the top-level directory).
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

# ---- migrant-kiosk ------------------------------------------------------------------------
install(FILES ${KIOSK_DEPLOY_DIR}/cage-kiosk@.service ${KIOSK_DEPLOY_DIR}/migrant-kiosk.service
        DESTINATION lib/systemd/system COMPONENT kiosk)
install(FILES ${KIOSK_DEPLOY_DIR}/kiosk.env DESTINATION /etc/migrant-kiosk
        PERMISSIONS OWNER_READ OWNER_WRITE COMPONENT kiosk)
install(FILES ${KIOSK_DEPLOY_DIR}/pam.d/migrant-kiosk DESTINATION /etc/pam.d COMPONENT kiosk)
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
  endif()
  if(TARGET kiosk_receiver)
    install(TARGETS kiosk_receiver RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT agency)
  endif()
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
    "Offline multilingual self-service kiosk for residence procedures in Japan\n"
    "A touch-first kiosk that guides migrants through residence procedures in their own\n"
    "language, checks readiness locally (answers stay in memory), prints or shows a QR\n"
    "checklist, and syncs signed content packs. Runs full screen in cage under systemd.")
set(_kiosk_dlopened_libraries
    "libcups2 (>= 2.4.2), libcairo2 (>= 1.16.0), libespeak-ng1 (>= 1.51+dfsg), libcurl4 (>= 7.88.1), libssl3 (>= 3.0.0)")
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS
    "fonts-noto-core, fonts-noto-cjk, espeak-ng-data, adduser, ${_kiosk_dlopened_libraries}, ${_kiosk_tools_depends}")
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
    "Staff tool of the migrant kiosk (kioskctl)\n"
    "Checks and installs content packs, publishes a signed pack repository, shows a kiosk's\n"
    "outbox, reads the hand-offs an agency's receiver stored (kioskctl inbox), and reports\n"
    "the kiosks' anonymous counts (kioskctl counts report).")
# kioskctl opens libcurl (repo commands) and libcrypto (form keygen, form export --key) on
# first use, like the kiosk.
set(CPACK_DEBIAN_TOOLS_PACKAGE_DEPENDS "libcurl4 (>= 7.88.1), libssl3 (>= 3.0.0)")

# migrant-kiosk-agency: the receiver for an agency's server; no kiosk, no display libraries.
set(CPACK_DEBIAN_AGENCY_PACKAGE_NAME migrant-kiosk-agency)
set(CPACK_DEBIAN_AGENCY_PACKAGE_SECTION net)
string(CONCAT CPACK_COMPONENT_AGENCY_DESCRIPTION
    "Receiver of kiosk hand-offs for a help desk\n"
    "kiosk-receiver stores the sealed items migrant kiosks send (hand-offs a visitor\n"
    "consented to) behind nginx with TLS, as a hardened systemd service; the help desk reads\n"
    "them with kioskctl inbox and the agency's secret key. See agency.md.")
set(CPACK_DEBIAN_AGENCY_PACKAGE_DEPENDS "adduser, ${_kiosk_tools_depends}")
set(CPACK_DEBIAN_AGENCY_PACKAGE_RECOMMENDS "nginx-light | nginx, sqlite3")
set(CPACK_DEBIAN_AGENCY_PACKAGE_SUGGESTS "certbot")
set(_kiosk_agency_scripts ${KIOSK_AGENCY_DEPLOY_DIR}/debian)
set(CPACK_DEBIAN_AGENCY_PACKAGE_CONTROL_EXTRA
    ${_kiosk_agency_scripts}/postinst ${_kiosk_agency_scripts}/prerm ${_kiosk_agency_scripts}/postrm)

include(CPack)
