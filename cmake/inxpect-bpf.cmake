# Building BPF programs with InXpect in another project (installed with the
# CMake package; find_package(inxpect) includes it):
#
#   inxpect_add_bpf(<name> <source.bpf.c>
#                   [SECTIONS <granularity>] [SCOPE annotated|all] [INLINE]
#                   [BARE_COPY] [SKELETON] [INCLUDES <dir>...] [DEFINES <X=1>...]
#                   [CFLAGS <flag>...])
#
# Builds one BPF C source twice, -O2 -g as libbpf-bootstrap does, into the
# current binary directory:
#
#   <name>.bpf.o          uninstrumented: what you ship and load (the
#                         <inxpect/annotate.h> annotations do nothing)
#   <name>.inxpect.bpf.o  instrumented: inxpect-cc -fprofile-sections=<SECTIONS>
#                         (functions, blocks, basic-blocks, or a comma list;
#                         default functions), what `inxpect run|attach`
#                         profiles
#
# Both go through inxpect-cc, the first without -fprofile-sections, so both
# see the same clang-19 and include paths.  The custom target <name>_bpf
# (part of `all`) builds both; <name>_BPF_OBJECT and <name>_INXPECT_OBJECT hold
# their paths.  SCOPE, INLINE and BARE_COPY are inxpect-cc's
# -fprofile-sections-scope, -inline and -bare-copy.  SKELETON also generates <name>.skel.h from
# the uninstrumented object (bpftool gen skeleton, skeleton name <name>) and
# an INTERFACE library <name>_skel that a loader links to include it.
find_program(INXPECT_BPFTOOL bpftool PATHS /usr/sbin /sbin)

function(inxpect_add_bpf name src)
  cmake_parse_arguments(ARG "INLINE;BARE_COPY;SKELETON" "SECTIONS;SCOPE" "INCLUDES;DEFINES;CFLAGS" ${ARGN})
  if(NOT TARGET inxpect::inxpect-cc)
    message(FATAL_ERROR "inxpect_add_bpf: this inxpect was installed without inxpect-cc")
  endif()
  if(NOT ARG_SECTIONS)
    set(ARG_SECTIONS functions)
  endif()
  get_filename_component(abs_src ${src} ABSOLUTE)
  set(flags -O2 -g -Wall ${ARG_CFLAGS})
  foreach(inc ${ARG_INCLUDES})
    get_filename_component(inc ${inc} ABSOLUTE)
    list(APPEND flags -I${inc})
  endforeach()
  foreach(def ${ARG_DEFINES})
    list(APPEND flags -D${def})
  endforeach()
  set(instrument -fprofile-sections=${ARG_SECTIONS})
  if(ARG_SCOPE)
    list(APPEND instrument -fprofile-sections-scope=${ARG_SCOPE})
  endif()
  if(ARG_INLINE)
    list(APPEND instrument -fprofile-sections-inline)
  endif()
  if(ARG_BARE_COPY)
    list(APPEND instrument -fprofile-sections-bare-copy)
  endif()

  set(bare ${CMAKE_CURRENT_BINARY_DIR}/${name}.bpf.o)
  set(inst ${CMAKE_CURRENT_BINARY_DIR}/${name}.inxpect.bpf.o)
  add_custom_command(OUTPUT ${bare}
    COMMAND inxpect::inxpect-cc ${flags} -MD -MF ${bare}.d -c ${abs_src} -o ${bare}
    DEPENDS ${abs_src}
    DEPFILE ${bare}.d
    COMMENT "BPF ${name}.bpf.o"
    VERBATIM)
  add_custom_command(OUTPUT ${inst}
    COMMAND inxpect::inxpect-cc ${flags} ${instrument} -MD -MF ${inst}.d -c ${abs_src} -o ${inst}
    DEPENDS ${abs_src}
    DEPFILE ${inst}.d
    COMMENT "BPF ${name}.inxpect.bpf.o (inxpect-cc ${ARG_SECTIONS})"
    VERBATIM)
  add_custom_target(${name}_bpf ALL DEPENDS ${bare} ${inst})
  set(${name}_BPF_OBJECT ${bare} PARENT_SCOPE)
  set(${name}_INXPECT_OBJECT ${inst} PARENT_SCOPE)

  if(ARG_SKELETON)
    if(NOT INXPECT_BPFTOOL)
      message(FATAL_ERROR "inxpect_add_bpf(${name} SKELETON): bpftool not found (apt install bpftool)")
    endif()
    set(skel ${CMAKE_CURRENT_BINARY_DIR}/${name}.skel.h)
    add_custom_command(OUTPUT ${skel}
      COMMAND sh -c "'${INXPECT_BPFTOOL}' gen skeleton '${bare}' name ${name} > '${skel}.tmp' && mv '${skel}.tmp' '${skel}'"
      DEPENDS ${bare}
      COMMENT "Skeleton ${name}.skel.h"
      VERBATIM)
    add_custom_target(${name}_skel_gen DEPENDS ${skel})
    add_library(${name}_skel INTERFACE)
    target_include_directories(${name}_skel INTERFACE ${CMAKE_CURRENT_BINARY_DIR})
    add_dependencies(${name}_skel ${name}_skel_gen)
  endif()
endfunction()
