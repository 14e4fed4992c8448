# cmake/packaging.cmake: install rules for a kiosk PC and a Debian package built by CPack.
#   cmake --preset release && cmake --build --preset release && (cd build/release && cpack -G DEB)
# Included at the end of the top-level CMakeLists.txt, or injected without editing it with
# -DCMAKE_PROJECT_INCLUDE=<this file> (then it runs right after project(): targets defined
# later are installed through a deferred call at the end of the top-level directory).
#
# Layout of the package:
#   /usr/bin/kiosk, /usr/bin/kioskctl
#   /usr/lib/systemd/system/{cage-kiosk@,migrant-kiosk}.service
#   /etc/migrant-kiosk/kiosk.env (conffile, 0600), /etc/pam.d/migrant-kiosk (conffile)
#   /usr/share/migrant-kiosk/{setup-kiosk.sh, hardening/*}: applied by setup-kiosk.sh only,
#     so installing the package on a workstation changes nothing until someone asks
#   /usr/share/doc/migrant-kiosk/deploy.md
include_guard(GLOBAL)
include(GNUInstallDirs)

set(KIOSK_DEPLOY_DIR ${CMAKE_CURRENT_LIST_DIR}/../platform/deploy)
cmake_path(NORMAL_PATH KIOSK_DEPLOY_DIR)

install(FILES ${KIOSK_DEPLOY_DIR}/cage-kiosk@.service ${KIOSK_DEPLOY_DIR}/migrant-kiosk.service
        DESTINATION lib/systemd/system)
install(FILES ${KIOSK_DEPLOY_DIR}/kiosk.env DESTINATION /etc/migrant-kiosk
        PERMISSIONS OWNER_READ OWNER_WRITE)
install(FILES ${KIOSK_DEPLOY_DIR}/pam.d/migrant-kiosk DESTINATION /etc/pam.d)
install(PROGRAMS ${KIOSK_DEPLOY_DIR}/setup-kiosk.sh DESTINATION ${CMAKE_INSTALL_DATADIR}/migrant-kiosk)
install(FILES ${KIOSK_DEPLOY_DIR}/hardening/logind-migrant-kiosk.conf
              ${KIOSK_DEPLOY_DIR}/hardening/sysctl-migrant-kiosk.conf
        DESTINATION ${CMAKE_INSTALL_DATADIR}/migrant-kiosk/hardening)
if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/../docs/deploy.md)
  install(FILES ${CMAKE_CURRENT_LIST_DIR}/../docs/deploy.md
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/migrant-kiosk)
endif()

# The programs exist only once their folders are processed; install them at the end.
function(_kiosk_install_programs)
  if(TARGET kioskctl)
    install(TARGETS kioskctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
  if(NOT TARGET kiosk)
    message(WARNING "packaging: no target 'kiosk' (KIOSK_BUILD_UI=OFF?): the package will "
                    "hold no kiosk program")
  endif()
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL _kiosk_install_programs)

# ---- CPack: one Debian package ------------------------------------------------------------
set(CPACK_PACKAGE_NAME migrant-kiosk)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "migrant-kiosk contributors")
set(CPACK_PACKAGE_CONTACT "migrant-kiosk maintainers <maintainers@migrant-kiosk.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Offline multilingual self-service kiosk for residence procedures in Japan")
set(CPACK_PACKAGE_DESCRIPTION
    "A touch-first kiosk that guides migrants through residence procedures in their own\n"
    "language, checks readiness locally (answers stay in memory), prints or shows a QR\n"
    "checklist, and syncs signed content packs. Runs full screen in cage under systemd.")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # migrant-kiosk_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library dependencies come from dpkg-shlibdeps; these are the data and tools it cannot see,
# and the libraries the kiosk opens with dlopen on first use (platform/lazy_library.h:
# printing, read-aloud, sync), which are not in its NEEDED list any more. Their sonames
# (libcups.so.2, libcairo.so.2, libespeak-ng.so.1, libcurl.so.4) and minimum versions are
# the ones Debian 12's shlibs files give; keep them in step with the sonames in platform/
# and sync/http.cpp.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(_kiosk_dlopened_libraries
    "libcups2 (>= 2.4.2), libcairo2 (>= 1.16.0), libespeak-ng1 (>= 1.51+dfsg), libcurl4 (>= 7.88.1)")
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "fonts-noto-core, fonts-noto-cjk, espeak-ng-data, adduser, ${_kiosk_dlopened_libraries}")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "cage, cups")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "printer-driver-all")

# Maintainer scripts and the list of configuration files dpkg must not overwrite.
set(_kiosk_conffiles ${CMAKE_BINARY_DIR}/packaging/conffiles)
file(WRITE ${_kiosk_conffiles} "/etc/migrant-kiosk/kiosk.env\n/etc/pam.d/migrant-kiosk\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${KIOSK_DEPLOY_DIR}/debian/postinst ${KIOSK_DEPLOY_DIR}/debian/prerm
    ${KIOSK_DEPLOY_DIR}/debian/postrm ${_kiosk_conffiles})
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Absolute destinations (/etc) are intended: a kiosk's configuration lives there.
set(CPACK_WARN_ON_ABSOLUTE_INSTALL_DESTINATION OFF)

include(CPack)
