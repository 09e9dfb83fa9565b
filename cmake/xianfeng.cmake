# Helpers shared by every folder's CMakeLists.txt.

# xf_library(NAME SOURCES a.cpp ... DEPS target ...)
# One static library per platform folder or feature; DEPS are PUBLIC so the
# layering written in ARCHITECTURE.md is what the build enforces.
function(xf_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# xf_test(NAME SOURCES a_test.cpp ... DEPS target ...)
# Tests that touch storage read XF_TEST_POSTGRES_URL (set by scripts/test) and
# run on both databases through platform/testing.
function(xf_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest_main GTest::gmock)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
endfunction()

# xf_migrations(TARGET FEATURE DIR)
# Embeds DIR/NNNN_name.sql into TARGET as `xf::<feature>::<feature>_migrations()` so the one
# binary carries its schema; the files stay plain SQL that a reviewer can read.
function(xf_migrations target feature dir)
  file(GLOB sql_files CONFIGURE_DEPENDS ${dir}/*.sql)
  list(SORT sql_files)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${feature}_migrations.cpp)
  # A list cannot cross the command line intact; pass it joined with '|'.
  string(REPLACE ";" "|" files_arg "${sql_files}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DFEATURE=${feature} -DOUT=${out} "-DFILES=${files_arg}"
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_migrations.cmake
    DEPENDS ${sql_files} ${PROJECT_SOURCE_DIR}/cmake/embed_migrations.cmake
    COMMENT "Embedding ${feature} migrations"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
