# Debian packages, made by CPack from the install rules (nothing written by
# hand but the two maintainer scripts of the DKMS package):
#
#   cmake --build build && (cd build && cpack -G DEB)
#
#   inxpect_<version>-1_<arch>.deb   component `inxpect`: inxpect, inxpect-cc
#       and its plugin, libinxpect with its headers, the contract headers,
#       the CMake package and the pkg-config file, man pages, bash
#       completion, the README and docs
#   inxpect-dkms_<version>-1_all.deb component `dkms`: the module's source
#       in /usr/src/inxpect-<version>/ with its dkms.conf (kmod/)
#
# Dependencies use Debian 12's package names; the libraries the programs
# link are found by dpkg-shlibdeps.  test/package checks both with lintian
# and installs them in a clean Debian chroot.
set(INXPECT_DEB_MAINTAINER "InXpect maintainers <maintainers@users.noreply.r-seed-e8a7e092.example>"
  CACHE STRING "Maintainer field of the Debian packages")

# /usr/share/doc/<package>/: copyright and changelog.Debian.gz, as Debian
# wants them in every package, and the documentation.
set(_deb_dir ${CMAKE_BINARY_DIR}/deb)
# The changelog's date: $SOURCE_DATE_EPOCH, else the last commit's, so the
# same tree gives the same packages.
if(NOT DEFINED ENV{SOURCE_DATE_EPOCH})
  execute_process(COMMAND git -C ${CMAKE_SOURCE_DIR} log -1 --format=%ct
    OUTPUT_VARIABLE _epoch OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(_epoch)
    set(ENV{SOURCE_DATE_EPOCH} ${_epoch})
  endif()
  string(TIMESTAMP _deb_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
  unset(ENV{SOURCE_DATE_EPOCH})
else()
  string(TIMESTAMP _deb_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
endif()
foreach(pkg inxpect inxpect-dkms)
  if(pkg STREQUAL inxpect)
    set(component inxpect)
  else()
    set(component dkms)
  endif()
  file(CONFIGURE OUTPUT ${_deb_dir}/${pkg}/changelog.Debian CONTENT
    "inxpect (${PROJECT_VERSION}-1) unstable; urgency=medium\n\n  * Built with CPack from the InXpect source tree.\n\n -- ${INXPECT_DEB_MAINTAINER}  ${_deb_date}\n")
  add_custom_command(OUTPUT ${_deb_dir}/${pkg}/changelog.Debian.gz
    COMMAND sh -c "gzip -9nc '${_deb_dir}/${pkg}/changelog.Debian' > '${_deb_dir}/${pkg}/changelog.Debian.gz'"
    DEPENDS ${_deb_dir}/${pkg}/changelog.Debian
    COMMENT "changelog.Debian.gz of ${pkg}"
    VERBATIM)
  add_custom_target(deb_changelog_${pkg} ALL DEPENDS ${_deb_dir}/${pkg}/changelog.Debian.gz)
  install(FILES ${CMAKE_SOURCE_DIR}/cmake/deb/copyright ${_deb_dir}/${pkg}/changelog.Debian.gz
    DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${pkg} COMPONENT ${component})
  set(PKG ${pkg})
  configure_file(${CMAKE_SOURCE_DIR}/cmake/deb/lintian-overrides ${_deb_dir}/${pkg}/overrides/${pkg}
    @ONLY)
  install(FILES ${_deb_dir}/${pkg}/overrides/${pkg}
    DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides COMPONENT ${component})
endforeach()
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/inxpect)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/inxpect
  FILES_MATCHING PATTERN "*.md")

# The DKMS package's maintainer scripts: add, build and install through
# Debian's dkms (/usr/lib/dkms/common.postinst), remove on removal.
set(DKMS_NAME inxpect)
set(DKMS_VERSION ${PROJECT_VERSION})
foreach(script postinst prerm)
  configure_file(${CMAKE_SOURCE_DIR}/cmake/deb/dkms-${script}.in ${_deb_dir}/dkms/${script} @ONLY
    FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
    WORLD_READ WORLD_EXECUTE)
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME inxpect)
set(CPACK_PACKAGE_VENDOR "the InXpect authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${INXPECT_DEB_MAINTAINER})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL inxpect dkms)
set(CPACK_COMPONENTS_GROUPING IGNORE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${INXPECT_DEB_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_INXPECT_PACKAGE_NAME inxpect)
set(CPACK_DEBIAN_INXPECT_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_INXPECT_PACKAGE_SHLIBDEPS ON)
# inxpect-cc runs clang-19 (its plugin is built for that clang) on BPF C
# that includes <linux/bpf.h> and <bpf/bpf_helpers.h>; libinxpect's users
# link libbpf, libelf and liblzma.
set(CPACK_DEBIAN_INXPECT_PACKAGE_DEPENDS
  "clang-19, libbpf-dev (>= 1:1.1), libelf-dev, liblzma-dev, linux-libc-dev")
# bpftool: skeletons (the CMake package's SKELETON, the Makefile recipe).
set(CPACK_DEBIAN_INXPECT_PACKAGE_RECOMMENDS "bpftool")
set(CPACK_DEBIAN_INXPECT_PACKAGE_SUGGESTS "inxpect-dkms (= ${PROJECT_VERSION}-1), cmake, pkgconf | pkg-config")
set(CPACK_DEBIAN_INXPECT_DESCRIPTION "profiler for named sections inside XDP programs
InXpect measures sections inside an XDP (eBPF) program: the program reads
the counters itself at the start and end of each section.  This package
holds inxpect, which loads an instrumented object, runs it over packets or
attaches it to an interface and reports each section; inxpect-cc, a drop-in
for clang -target bpf that inserts the sections with a Clang plugin; the
runtime library libinxpect with its headers, CMake package and pkg-config
file; and the BPF headers <inxpect/inxpect.h> and <inxpect/annotate.h>.")

set(CPACK_DEBIAN_DKMS_PACKAGE_NAME inxpect-dkms)
set(CPACK_DEBIAN_DKMS_PACKAGE_SECTION kernel)
set(CPACK_DEBIAN_DKMS_PACKAGE_ARCHITECTURE all)
# pahole (dwarves) writes the module's BTF, without which its kfuncs do not
# exist; readelf (binutils) checks it.  The running kernel's headers are
# the user's to install (linux-headers-$(uname -r)): no package name says
# "the running kernel's", and dkms itself recommends the default kernel's.
set(CPACK_DEBIAN_DKMS_PACKAGE_DEPENDS "dkms (>= 3.0), dwarves, binutils")
set(CPACK_DEBIAN_DKMS_PACKAGE_CONTROL_EXTRA "${_deb_dir}/dkms/postinst;${_deb_dir}/dkms/prerm")
set(CPACK_DEBIAN_DKMS_DESCRIPTION "counter kernel module of InXpect, built by DKMS
The inxpect kernel module gives XDP programs instrumented by InXpect two
kfuncs that read the TSC and hardware performance counters (rdtsc, rdpmc),
for inxpect's kmod backend.  DKMS builds it for every installed kernel that
has its headers (Linux 6.9 or later, with module BTF) and again for each
kernel installed later.")

include(CPack)
