# Whole-build instrumentation: ZM_SANITIZE, ZM_FUZZ (libFuzzer's coverage; the fuzz
# targets then link -fsanitize=fuzzer) and ZM_COVERAGE. All of them need clang.

if(ZM_SANITIZE OR ZM_FUZZ OR ZM_COVERAGE)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR
      "ZM_SANITIZE, ZM_FUZZ and ZM_COVERAGE need clang (apt-get install clang); "
      "this build uses ${CMAKE_CXX_COMPILER_ID}. Use a preset: cmake --preset asan|tsan|fuzz")
  endif()
endif()

if(ZM_SANITIZE)
  add_compile_options(-fsanitize=${ZM_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${ZM_SANITIZE})
endif()

if(ZM_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(ZM_COVERAGE)
  add_compile_options(-fprofile-instr-generate -fcoverage-mapping)
  add_link_options(-fprofile-instr-generate)
endif()
