# The backend allocators zmalloc can sit on, and the Debian package of each.
#
#   zm_backend_available(<backend> <out-var>)   TRUE if its header and library are here
#   zm_backend_require(<backend>)               a configure error naming the package if not
#   zm_backend_libraries(<backend> <out-var>)   what a library on it links

set(ZM_BACKENDS libc jemalloc tcmalloc mimalloc)

set(ZM_BACKEND_PACKAGE_jemalloc libjemalloc-dev)
set(ZM_BACKEND_PACKAGE_tcmalloc libgoogle-perftools-dev)
set(ZM_BACKEND_PACKAGE_mimalloc libmimalloc-dev)

set(ZM_BACKEND_HEADER_jemalloc jemalloc/jemalloc.h)
set(ZM_BACKEND_HEADER_tcmalloc gperftools/tcmalloc.h)
set(ZM_BACKEND_HEADER_mimalloc mimalloc.h)

set(ZM_BACKEND_LIBRARY_jemalloc jemalloc)
set(ZM_BACKEND_LIBRARY_tcmalloc tcmalloc_minimal)
set(ZM_BACKEND_LIBRARY_mimalloc mimalloc)

function(zm_backend_available backend out)
  if(backend STREQUAL "libc")
    set(${out} TRUE PARENT_SCOPE)
    return()
  endif()
  if(NOT backend IN_LIST ZM_BACKENDS)
    message(FATAL_ERROR "Unknown backend '${backend}': choose one of ${ZM_BACKENDS}")
  endif()
  find_path(ZM_${backend}_INCLUDE_DIR ${ZM_BACKEND_HEADER_${backend}})
  find_library(ZM_${backend}_LIBRARY ${ZM_BACKEND_LIBRARY_${backend}})
  if(ZM_${backend}_INCLUDE_DIR AND ZM_${backend}_LIBRARY)
    set(${out} TRUE PARENT_SCOPE)
  else()
    set(${out} FALSE PARENT_SCOPE)
  endif()
endfunction()

function(zm_backend_require backend)
  zm_backend_available(${backend} found)
  if(NOT found)
    message(FATAL_ERROR
      "ZM_BACKEND=${backend} needs ${ZM_BACKEND_HEADER_${backend}} and "
      "lib${ZM_BACKEND_LIBRARY_${backend}}, which are not installed. "
      "Install them with: apt-get install ${ZM_BACKEND_PACKAGE_${backend}}")
  endif()
endfunction()

function(zm_backend_libraries backend out)
  if(backend STREQUAL "libc")
    set(${out} "" PARENT_SCOPE)
  else()
    set(${out} ${ZM_${backend}_LIBRARY} PARENT_SCOPE)
  endif()
endfunction()
