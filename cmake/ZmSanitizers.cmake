# Whole-build instrumentation: ZM_SANITIZE and ZM_COVERAGE. ZM_FUZZ's coverage feedback
# goes only where the fuzzer should look, the allocator and the target files
# (zm_fuzz_instrument); the fuzz targets then link -fsanitize=fuzzer. All need clang.

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

# Gives target libFuzzer's coverage instrumentation when ZM_FUZZ is on.
function(zm_fuzz_instrument target)
  if(ZM_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()

if(ZM_COVERAGE)
  add_compile_options(-fprofile-instr-generate -fcoverage-mapping)
  add_link_options(-fprofile-instr-generate)
endif()
