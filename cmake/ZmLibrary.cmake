# zm_add_zmalloc(<target> BACKEND <b> ACCOUNTING <prefix|usable> [TESTING] [EXACT] [MUTANTS])
#
# One build of the zmalloc library. The project's `zmalloc` target is the one the ZM_*
# options describe; the tests add one per installed backend and accounting mode. A
# TESTING build goes through the test backend (fault injection, exact sizes with EXACT)
# and has the preemption hook; MUTANTS compiles in the mutant catalogue.

set(ZM_SOURCE_DIR ${CMAKE_CURRENT_LIST_DIR}/../src)

function(zm_add_zmalloc target)
  cmake_parse_arguments(ZM "TESTING;EXACT;MUTANTS" "BACKEND;ACCOUNTING" "" ${ARGN})
  if(NOT ZM_ACCOUNTING MATCHES "^(prefix|usable)$")
    message(FATAL_ERROR "ZM_ACCOUNTING must be prefix or usable, not '${ZM_ACCOUNTING}'")
  endif()
  if((ZM_EXACT OR ZM_MUTANTS) AND NOT ZM_TESTING)
    message(FATAL_ERROR "${target}: the exact backend and the mutants exist only in test builds (ZM_TESTING=ON)")
  endif()
  zm_backend_require(${ZM_BACKEND})

  set(sources
    ${ZM_SOURCE_DIR}/zmalloc.cpp
    ${ZM_SOURCE_DIR}/zmalloc_cxx.cpp
    ${ZM_SOURCE_DIR}/used_memory.cpp
    ${ZM_SOURCE_DIR}/proc_parse.cpp
    ${ZM_SOURCE_DIR}/memory_figures_linux.cpp)
  if(ZM_TESTING)
    list(APPEND sources
      ${ZM_SOURCE_DIR}/testing/test_backend.cpp
      ${ZM_SOURCE_DIR}/testing/preempt_hook.cpp
      ${ZM_SOURCE_DIR}/mutants.cpp)
  endif()

  add_library(${target} ${sources})
  target_include_directories(${target}
    PUBLIC $<BUILD_INTERFACE:${ZM_SOURCE_DIR}> $<INSTALL_INTERFACE:include>
    PRIVATE ${ZM_${ZM_BACKEND}_INCLUDE_DIR})
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_compile_options(${target} PRIVATE -Wall -Wextra -fno-exceptions)
  zm_fuzz_instrument(${target})
  target_compile_definitions(${target} PRIVATE
    ZM_BACKEND_HEADER="backend/${ZM_BACKEND}.h"
    ZM_LAYOUT_HEADER="layout_${ZM_ACCOUNTING}.h"
    ZM_TESTING=$<BOOL:${ZM_TESTING}>
    ZM_EXACT_BACKEND=$<BOOL:${ZM_EXACT}>
    ZM_MUTANTS=$<BOOL:${ZM_MUTANTS}>)
  zm_backend_libraries(${ZM_BACKEND} backend_libraries)
  find_package(Threads REQUIRED)
  target_link_libraries(${target} PUBLIC ${backend_libraries} Threads::Threads)
  set_target_properties(${target} PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    ZM_BACKEND ${ZM_BACKEND}
    ZM_ACCOUNTING ${ZM_ACCOUNTING}
    ZM_TESTING ${ZM_TESTING})
endfunction()
