# Shared build settings for fleetguard's own targets. Third-party headers are SYSTEM, so
# warnings-as-errors applies to our code only.

if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" OR CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(FG_WARNINGS
      -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
      -Wold-style-cast -Woverloaded-virtual -Wnull-dereference -Wformat=2 -Werror)
endif()

# GCC 12's -Wrestrict misfires at -O2/-O3 inside libstdc++'s std::string concatenation (GCC bugs
# 105329 and 105651: "accessing 9223372036854775810 or more bytes"), which -Werror turns into a
# broken Release build. Fixed in GCC 13.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND FG_WARNINGS -Wno-restrict)
endif()

option(FG_TSAN "Build with ThreadSanitizer (clang; not together with FG_SANITIZE)" OFF)
if(FG_SANITIZE AND FG_TSAN)
  message(FATAL_ERROR "FG_SANITIZE and FG_TSAN cannot be combined")
endif()
if(FG_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

if(FG_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# ccache, when installed: engineers rebuild the same sources in several build directories and
# worktrees on two cores. Not used when the caller chose a launcher.
find_program(FG_CCACHE ccache)
if(FG_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_C_COMPILER_LAUNCHER ${FG_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${FG_CCACHE})
endif()

# lld links the gtest binaries noticeably faster than bfd on two cores.
find_program(FG_LLD ld.lld-14 ld.lld)
if(FG_LLD)
  add_link_options(-fuse-ld=lld)
endif()

# fg_library(NAME fg_core SOURCES a.cpp b.cpp DEPS ...): one static library per component,
# linked only along the arrows of ARCHITECTURE.md.
function(fg_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(${name} PRIVATE ${FG_WARNINGS})
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# fg_test(NAME fg_core_tests SOURCES ... DEPS ...): one gtest executable per component.
function(fg_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_compile_options(${name} PRIVATE ${FG_WARNINGS})
  target_compile_definitions(${name} PRIVATE FG_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60)
endfunction()
