# What `cmake --install` gives other programs: libinxpect (two archives),
# its headers (<libinxpect/...>), the contract headers (<inxpect/...>), a
# pkg-config file and a CMake package (with inxpect_add_bpf(), see
# inxpect-bpf.cmake):
#
#   find_package(inxpect CONFIG REQUIRED)       pkg-config --cflags --libs inxpect
#   target_link_libraries(app inxpect::runtime)
#   inxpect_add_bpf(app app.bpf.c SECTIONS functions,blocks SKELETON)
include(CMakePackageConfigHelpers)

set(INXPECT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/inxpect)
install(EXPORT inxpect-targets NAMESPACE inxpect:: DESTINATION ${INXPECT_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/inxpect-config.cmake.in
  ${CMAKE_BINARY_DIR}/inxpect-config.cmake INSTALL_DESTINATION ${INXPECT_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/inxpect-config-version.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/inxpect-config.cmake ${CMAKE_BINARY_DIR}/inxpect-config-version.cmake
  ${CMAKE_CURRENT_LIST_DIR}/inxpect-bpf.cmake DESTINATION ${INXPECT_CMAKE_DIR})

# Relocatable: the prefix is found from where the .pc file is.
file(RELATIVE_PATH INXPECT_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${CMAKE_CURRENT_LIST_DIR}/inxpect.pc.in ${CMAKE_BINARY_DIR}/inxpect.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/inxpect.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
