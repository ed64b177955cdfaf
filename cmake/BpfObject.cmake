# inxpect_bpf_object(<target> <source.c> [OUTPUT <name.o>] [INCLUDES dir...] [DEFINES X=1...])
#
# Compiles one BPF C source with clang -target bpf -O2 -g into
# ${CMAKE_CURRENT_BINARY_DIR}/<name>.o.  Sets <target>_OBJECT in the caller.
#
# The clang is found (clang-19 first: the plugin must run in the clang it was
# built for) or given with -DBPF_CLANG=/path/to/clang.  LLVM_TOOLS_DIR is
# the directory it really lives in, where LLVM's tools (FileCheck, lit) are.
find_program(BPF_CLANG NAMES clang-19 clang REQUIRED)
get_filename_component(_bpf_clang_real ${BPF_CLANG} REALPATH)
get_filename_component(LLVM_TOOLS_DIR ${_bpf_clang_real} DIRECTORY)
get_filename_component(INXPECT_LLVM_PREFIX ${LLVM_TOOLS_DIR} DIRECTORY)
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-multiarch
  OUTPUT_VARIABLE BPF_MULTIARCH OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT BPF_MULTIARCH)
  set(BPF_MULTIARCH x86_64-linux-gnu)
endif()
# <linux/types.h> needs <asm/types.h>, which Debian keeps per architecture.
set(BPF_SYS_INCLUDE /usr/include/${BPF_MULTIARCH})

# What every BPF object build shares, set in the calling function: `name`,
# `out` (OUTPUT or <name>.o in the current binary dir), `abs_src`, and
# `flags` (optimisation, debug info, warnings, INCLUDES, DEFINES).
macro(inxpect_bpf_common src)
  get_filename_component(name ${src} NAME_WE)
  if(ARG_OUTPUT)
    set(out ${CMAKE_CURRENT_BINARY_DIR}/${ARG_OUTPUT})
  else()
    set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}.o)
  endif()
  get_filename_component(abs_src ${src} ABSOLUTE)
  # Source paths relative to the repository, so reports and objects do not
  # depend on where the tree was checked out.
  set(flags -O2 -g -Wall -Werror -ffile-prefix-map=${CMAKE_SOURCE_DIR}/=)
  foreach(inc ${ARG_INCLUDES})
    list(APPEND flags -I${inc})
  endforeach()
  foreach(def ${ARG_DEFINES})
    list(APPEND flags -D${def})
  endforeach()
endmacro()

function(inxpect_bpf_object target src)
  cmake_parse_arguments(ARG "" "OUTPUT" "INCLUDES;DEFINES" ${ARGN})
  inxpect_bpf_common(${src})
  list(APPEND flags -target bpf -I${INXPECT_CONTRACT_INCLUDE} -idirafter ${BPF_SYS_INCLUDE})
  add_custom_command(OUTPUT ${out}
    COMMAND ${BPF_CLANG} ${flags} -MD -MF ${out}.d -c ${abs_src} -o ${out}
    DEPENDS ${abs_src}
    DEPFILE ${out}.d
    COMMENT "BPF ${name}"
    VERBATIM)
  add_custom_target(${target} ALL DEPENDS ${out})
  set(${target}_OBJECT ${out} PARENT_SCOPE)
endfunction()

# inxpect_bpf_skeleton(<target> <object target> NAME <name>)
#
# Generates <name>.skel.h in the current binary dir from the BPF object of
# <object target> (inxpect_bpf_object) with `bpftool gen skeleton`: typed
# access to the project's own BPF objects, and the object's bytes embedded.
# Never committed.  <target> is an INTERFACE library to link for the
# header's directory.
find_program(BPFTOOL bpftool PATHS /usr/sbin /sbin)
function(inxpect_bpf_skeleton target object_target)
  cmake_parse_arguments(ARG "" "NAME" "" ${ARGN})
  if(NOT BPFTOOL)
    message(FATAL_ERROR "bpftool not found (apt install bpftool): it generates the BPF skeletons")
  endif()
  set(obj ${${object_target}_OBJECT})
  set(skel ${CMAKE_CURRENT_BINARY_DIR}/${ARG_NAME}.skel.h)
  add_custom_command(OUTPUT ${skel}
    COMMAND sh -c "'${BPFTOOL}' gen skeleton '${obj}' name ${ARG_NAME} > '${skel}.tmp' && mv '${skel}.tmp' '${skel}'"
    DEPENDS ${obj} ${object_target}
    COMMENT "Skeleton ${ARG_NAME}.skel.h"
    VERBATIM)
  add_custom_target(${target}_gen DEPENDS ${skel})
  add_library(${target} INTERFACE)
  target_include_directories(${target} INTERFACE $<BUILD_INTERFACE:${CMAKE_CURRENT_BINARY_DIR}>)
  add_dependencies(${target} ${target}_gen)
endfunction()
