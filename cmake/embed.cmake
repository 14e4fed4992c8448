# SPDX-License-Identifier: GPL-3.0-or-later
# kiosk_embed_files(TARGET name NAMESPACE ns ROOT dir FILES f1 f2 ...)
# Generates a C++ source holding each file's bytes, so the program needs no data files.
# The generated function is: const std::vector<std::pair<std::string_view, std::string_view>>& ns::embedded_files();
function(kiosk_embed_files)
  cmake_parse_arguments(E "" "TARGET;NAMESPACE;ROOT" "FILES" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${E_TARGET}_embedded.cpp)
  # The file list goes through a file: a list in a COMMAND argument would split into words.
  set(list_file ${CMAKE_CURRENT_BINARY_DIR}/${E_TARGET}_files.txt)
  file(WRITE ${list_file}.new "${E_FILES}")
  file(COPY_FILE ${list_file}.new ${list_file} ONLY_IF_DIFFERENT)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNS=${E_NAMESPACE} -DROOT=${E_ROOT} -DLIST=${list_file}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${E_FILES} ${list_file} ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "Embedding ${E_TARGET}")
  add_library(${E_TARGET} STATIC ${out})
  target_compile_features(${E_TARGET} PUBLIC cxx_std_20)
endfunction()
