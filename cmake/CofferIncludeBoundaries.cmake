# Third-party headers reach only the library that wraps them: curl the HTTP client
# (fs-daemon/client), Boost.Beast/Asio the server's HTTP layer (server/http), libfuse the FUSE
# layer (fs-daemon/fuse); cpp-httplib nobody. Their headers live in /usr/include, which every
# compiler searches, so leaving their include paths private is not enough: every other target
# gets, first on its include path, a folder of same-named headers that stop the build with a
# message (build/forbidden/<library>/). tests/packaging/include_boundaries.sh proves it.

# Writes one stopping header per header of <real_root>/<glob> into build/forbidden/<name>/.
function(coffer_forbidden_headers name real_root owner)
  set(dir ${CMAKE_BINARY_DIR}/forbidden/${name})
  file(GLOB_RECURSE headers RELATIVE ${real_root} ${ARGN})
  foreach(header IN LISTS headers)
    if(NOT EXISTS ${dir}/${header})
      file(WRITE ${dir}/${header}
        "#error \"<${header}> is private to ${owner} (docs/architecture.md, Layers)\"\n")
    endif()
  endforeach()
  set(COFFER_FORBIDDEN_${name} ${dir} PARENT_SCOPE)
endfunction()

find_path(COFFER_CURL_INCLUDE_ROOT curl/curl.h REQUIRED)
find_path(COFFER_FUSE3_INCLUDE_ROOT fuse3/fuse_lowlevel.h REQUIRED)
find_path(COFFER_BOOST_INCLUDE_ROOT boost/beast.hpp REQUIRED)
coffer_forbidden_headers(curl ${COFFER_CURL_INCLUDE_ROOT} "fs-daemon/client"
  ${COFFER_CURL_INCLUDE_ROOT}/curl/*.h)
coffer_forbidden_headers(fuse3 ${COFFER_FUSE3_INCLUDE_ROOT} "fs-daemon/fuse"
  ${COFFER_FUSE3_INCLUDE_ROOT}/fuse3/*.h)
coffer_forbidden_headers(boost_beast ${COFFER_BOOST_INCLUDE_ROOT} "server/http"
  ${COFFER_BOOST_INCLUDE_ROOT}/boost/beast.hpp ${COFFER_BOOST_INCLUDE_ROOT}/boost/beast/*.hpp
  ${COFFER_BOOST_INCLUDE_ROOT}/boost/asio.hpp ${COFFER_BOOST_INCLUDE_ROOT}/boost/asio/*.hpp)
file(WRITE ${CMAKE_BINARY_DIR}/forbidden/httplib/httplib.h
  "#error \"<httplib.h> is private to no layer: Coffer's HTTP is server/http's (Boost.Beast)\"\n")

function(coffer_collect_targets out dir)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    coffer_collect_targets(sub_targets ${sub})
    list(APPEND targets ${sub_targets})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

# Puts the stopping headers of each wrapped library on the include path of every compiled
# target that does not link that library itself.
function(coffer_enforce_include_boundaries)
  coffer_collect_targets(targets ${PROJECT_SOURCE_DIR})
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(NOT type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|OBJECT_LIBRARY|EXECUTABLE)$")
      continue()
    endif()
    get_target_property(links ${target} LINK_LIBRARIES)
    set(forbidden ${CMAKE_BINARY_DIR}/forbidden/httplib)
    if(NOT "PkgConfig::CURL" IN_LIST links)
      list(APPEND forbidden ${COFFER_FORBIDDEN_curl})
    endif()
    if(NOT "PkgConfig::FUSE3" IN_LIST links)
      list(APPEND forbidden ${COFFER_FORBIDDEN_fuse3})
    endif()
    if(NOT "Boost::headers" IN_LIST links)
      list(APPEND forbidden ${COFFER_FORBIDDEN_boost_beast})
    endif()
    target_include_directories(${target} BEFORE PRIVATE ${forbidden})
  endforeach()
endfunction()
