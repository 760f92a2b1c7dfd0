# cmake -DREADELF=... -DOBJECTS=... -DOUTPUT=... -DEXPECT=<text>|<text>... -P check.cmake
# Runs cmake/ZmThreadState.cmake on OBJECTS and checks that what it lists is exactly
# EXPECT (empty: nothing).
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/../../cmake/ZmThreadState.cmake)
file(STRINGS "${OUTPUT}" listed REGEX "^  \"")
set(found "")
foreach(line IN LISTS listed)
  string(REGEX REPLACE "^  \"(.*)\",$" "\\1" line "${line}")
  list(APPEND found "${line}")
endforeach()
string(REPLACE "|" ";" expected "${EXPECT}")
if(NOT "${found}" STREQUAL "${expected}")
  message(FATAL_ERROR "per-thread state listed: [${found}], expected: [${expected}]")
endif()
message(STATUS "per-thread state listed as expected: [${found}]")
