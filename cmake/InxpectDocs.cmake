# inxpect_generated_docs(<program target>)
#
# The program's man page and bash completion, made at build time by running
# it with --help-man and --help-bash: each program writes both from its own
# option table (inxpect: runtime/cli/manpage.cpp, inxpect-cc:
# driver/Options.cpp), so no option is listed twice by hand.  Installed as
# <mandir>/man1/<name>.1.gz (gzip -9n, as Debian wants) and
# <datadir>/bash-completion/completions/<name>.
function(inxpect_generated_docs target)
  set(dir ${CMAKE_BINARY_DIR}/docs)
  set(man ${dir}/man1/${target}.1)
  set(bash ${dir}/bash-completion/${target})
  add_custom_command(OUTPUT ${man} ${man}.gz ${bash}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}/man1 ${dir}/bash-completion
    COMMAND sh -c "'$<TARGET_FILE:${target}>' --help-man > '${man}' && gzip -9nc '${man}' > '${man}.gz'"
    COMMAND sh -c "'$<TARGET_FILE:${target}>' --help-bash > '${bash}'"
    DEPENDS ${target}
    COMMENT "Man page and bash completion of ${target}"
    VERBATIM)
  add_custom_target(${target}_docs ALL DEPENDS ${man}.gz ${bash})
  install(FILES ${man}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  install(FILES ${bash} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
endfunction()
