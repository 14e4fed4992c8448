# SPDX-License-Identifier: GPL-3.0-or-later
# CPACK_POST_BUILD_SCRIPTS of cmake/packaging.cmake: mends each <package>-dbgsym .ddeb CPack
# made, as debhelper's dh_strip would have made it:
#  - DEBIAN/md5sums lists the files by their path in the package (CPack 3.25 writes the
#    absolute path of its staging folder, so `dpkg --verify` and lintian find nothing);
#  - /usr/share/doc/<package>-dbgsym is a symbolic link to /usr/share/doc/<package>, whose
#    copyright and changelog cover it (the ddeb depends on that package, same version).
find_program(DPKG_DEB dpkg-deb REQUIRED)
foreach(ddeb IN LISTS CPACK_PACKAGE_FILES)
  if(NOT ddeb MATCHES "/([^/_]+)-dbgsym_[^/]*\\.ddeb$")
    continue()
  endif()
  set(package ${CMAKE_MATCH_1})
  set(tree ${ddeb}.tree)
  file(REMOVE_RECURSE ${tree})
  execute_process(COMMAND ${DPKG_DEB} -R ${ddeb} ${tree} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "mend-ddebs: dpkg-deb -R ${ddeb} failed")
  endif()
  file(GLOB_RECURSE files LIST_DIRECTORIES false RELATIVE ${tree} ${tree}/usr/*)
  list(SORT files)
  set(md5sums "")
  foreach(f IN LISTS files)
    file(MD5 ${tree}/${f} sum)
    string(APPEND md5sums "${sum}  ${f}\n")
  endforeach()
  file(WRITE ${tree}/DEBIAN/md5sums "${md5sums}")
  file(MAKE_DIRECTORY ${tree}/usr/share/doc)
  file(CREATE_LINK ${package} ${tree}/usr/share/doc/${package}-dbgsym SYMBOLIC)
  # Compressed as CPack compressed the .deb packages (gzip unless CPACK_DEBIAN_COMPRESSION_TYPE
  # says otherwise): xz takes a minute on a sanitizer build's debug symbols.
  set(z gzip)
  if(CPACK_DEBIAN_COMPRESSION_TYPE)
    set(z ${CPACK_DEBIAN_COMPRESSION_TYPE})
  endif()
  execute_process(COMMAND ${DPKG_DEB} --root-owner-group -Z${z} --build ${tree} ${ddeb}
                  OUTPUT_QUIET RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "mend-ddebs: dpkg-deb --build ${tree} failed")
  endif()
  file(REMOVE_RECURSE ${tree})
endforeach()
