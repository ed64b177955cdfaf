# inxpect_bpf_object(<target> <source.c> [OUTPUT <name.o>] [INCLUDES dir...] [DEFINES X=1...])
#
# Compiles one BPF C source with clang-19 -target bpf -O2 -g into
# ${CMAKE_CURRENT_BINARY_DIR}/<name>.o.  Sets <target>_OBJECT in the caller.
find_program(BPF_CLANG NAMES clang-19 PATHS /usr/lib/llvm-19/bin REQUIRED)
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
