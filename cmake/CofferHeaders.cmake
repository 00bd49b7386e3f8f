# coffer_expose_headers(<target> <prefix> [<source-dir>])
#
# Makes the headers of <source-dir> (default: the current source folder) visible to <target> and
# to whatever links it as "<prefix>/name.hpp", and nothing else: the target's public include
# folder, build/include/<target>/, holds one symbolic link, <prefix> -> <source-dir>. A library
# that includes a header of a library it does not link therefore fails to compile, whatever
# folder the header lives in (docs/architecture.md, "Layers").
function(coffer_expose_headers target prefix)
  set(source_dir ${CMAKE_CURRENT_SOURCE_DIR})
  if(ARGC GREATER 2)
    set(source_dir ${ARGV2})
  endif()
  set(root ${CMAKE_BINARY_DIR}/include/${target})
  get_filename_component(link_parent ${root}/${prefix} DIRECTORY)
  file(MAKE_DIRECTORY ${link_parent})
  file(CREATE_LINK ${source_dir} ${root}/${prefix} SYMBOLIC)
  target_include_directories(${target} PUBLIC ${root})
endfunction()
