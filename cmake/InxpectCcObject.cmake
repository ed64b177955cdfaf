# inxpect_cc_object(<target> <source.c> [OUTPUT <name.o>] [SECTIONS <list>]
#                   [SCOPE all] [INLINE] [BARE_COPY] [INCLUDES dir...]
#                   [DEFINES X=1...])
#
# Like inxpect_bpf_object(), but compiled through inxpect-cc so the object
# carries InXpect sections.  SECTIONS is the -fprofile-sections value
# (default "functions"; e.g. "functions,blocks" or "basic-blocks").  The
# rewritten source is kept as <name>.inxpect.c next to the object.  INLINE:
# -fprofile-sections-inline; BARE_COPY: -fprofile-sections-bare-copy.
function(inxpect_cc_object target src)
  cmake_parse_arguments(ARG "INLINE;BARE_COPY" "OUTPUT;SECTIONS;SCOPE" "INCLUDES;DEFINES" ${ARGN})
  inxpect_bpf_common(${src})
  if(NOT ARG_SECTIONS)
    set(ARG_SECTIONS functions)
  endif()
  list(APPEND flags -fprofile-sections=${ARG_SECTIONS})
  if(ARG_SCOPE)
    list(APPEND flags -fprofile-sections-scope=${ARG_SCOPE})
  endif()
  if(ARG_INLINE)
    list(APPEND flags -fprofile-sections-inline)
  endif()
  if(ARG_BARE_COPY)
    list(APPEND flags -fprofile-sections-bare-copy)
  endif()
  add_custom_command(OUTPUT ${out}
    COMMAND inxpect-cc ${flags} --emit-instrumented=${out}.inxpect.c
            -MD -MF ${out}.d -c ${abs_src} -o ${out}
    DEPENDS ${abs_src} inxpect-cc inxpect_rewrite
    DEPFILE ${out}.d
    BYPRODUCTS ${out}.inxpect.c
    COMMENT "BPF ${name} (inxpect-cc ${ARG_SECTIONS})"
    VERBATIM)
  add_custom_target(${target} ALL DEPENDS ${out})
  set(${target}_OBJECT ${out} PARENT_SCOPE)
endfunction()
