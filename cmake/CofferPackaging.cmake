# Install layout and the two Debian packages (packaging/build-debs.sh runs CPack):
#   coffer         component client: coffer, its man pages, the user unit, bash completion
#   coffer-server  component server: cofferd and coffer-admin, /etc/coffer/cofferd.yaml, the
#                  system unit, the maintainer scripts (user coffer, /var/lib/coffer)
# The programs' own install() rules take their component from the folder they are in (the
# top-level CMakeLists.txt sets CMAKE_INSTALL_DEFAULT_COMPONENT_NAME around add_subdirectory).
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(COFFER_DEB_VERSION ${PROJECT_VERSION}-1)
set(packaging ${PROJECT_SOURCE_DIR}/packaging)
set(staged ${CMAKE_BINARY_DIR}/packaging)

# Man pages and the Debian changelog, compressed as Debian policy wants (gzip -9n: no name or
# time inside, so the same page gives the same bytes).
configure_file(${packaging}/debian/changelog.in ${staged}/changelog.Debian @ONLY)
set(compressed)
foreach(source man/coffer.1 man/coffer.yaml.5 man/cofferd.8 man/coffer-admin.8 ${staged}/changelog.Debian)
  get_filename_component(name ${source} NAME)
  get_filename_component(source ${source} ABSOLUTE BASE_DIR ${PROJECT_SOURCE_DIR})
  add_custom_command(OUTPUT ${staged}/${name}.gz
    COMMAND gzip -9n -c ${source} > ${staged}/${name}.gz
    DEPENDS ${source} VERBATIM)
  list(APPEND compressed ${staged}/${name}.gz)
endforeach()
add_custom_target(coffer_compressed_docs ALL DEPENDS ${compressed})

install(FILES ${staged}/coffer.1.gz DESTINATION share/man/man1 COMPONENT client)
install(FILES ${staged}/coffer.yaml.5.gz DESTINATION share/man/man5 COMPONENT client)
install(FILES ${staged}/cofferd.8.gz ${staged}/coffer-admin.8.gz DESTINATION share/man/man8 COMPONENT server)
foreach(component_package client:coffer server:coffer-server)
  string(REPLACE ":" ";" pair ${component_package})
  list(GET pair 0 component)
  list(GET pair 1 package)
  install(FILES ${packaging}/debian/copyright ${staged}/changelog.Debian.gz
    DESTINATION share/doc/${package} COMPONENT ${component})
endforeach()

# Bash completion: the shared engine, then the program's table of commands and options.
set(completions)
foreach(program coffer cofferd coffer-admin)
  set(tables ${packaging}/completion/engine.bash ${packaging}/completion/${program}.bash)
  add_custom_command(OUTPUT ${staged}/completion/${program}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${staged}/completion
    COMMAND cat ${tables} > ${staged}/completion/${program}
    DEPENDS ${tables} VERBATIM)
  list(APPEND completions ${staged}/completion/${program})
endforeach()
add_custom_target(coffer_completions ALL DEPENDS ${completions})
install(FILES ${staged}/completion/coffer DESTINATION share/bash-completion/completions COMPONENT client)
install(FILES ${staged}/completion/cofferd ${staged}/completion/coffer-admin
  DESTINATION share/bash-completion/completions COMPONENT server)
install(FILES ${packaging}/systemd/coffer-mount@.service DESTINATION lib/systemd/user COMPONENT client)
# Debian 12 keeps system units in /lib (lintian: systemd-service-file-outside-lib).
install(FILES ${packaging}/systemd/cofferd.service DESTINATION /lib/systemd/system COMPONENT server)
install(FILES ${packaging}/cofferd.yaml DESTINATION /etc/coffer COMPONENT server)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME coffer)
set(CPACK_PACKAGE_VENDOR "The Coffer authors")
set(CPACK_PACKAGE_CONTACT "Coffer maintainers <maintainers@users.noreply.b-seed-0d4a739b.example>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL client server)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(CPACK_DEBIAN_CLIENT_PACKAGE_NAME coffer)
# fusermount3 mounts and unmounts for an unprivileged user; shlibdeps finds only libfuse3.
set(CPACK_DEBIAN_CLIENT_PACKAGE_DEPENDS "fuse3")
set(CPACK_COMPONENT_CLIENT_DESCRIPTION "end-to-end encrypted personal cloud - client
Coffer keeps your files on your own server, encrypted on each computer before
they leave it. This package holds the coffer command, which logs in to a
Coffer server and mounts your cloud as a folder (FUSE), with versions, the
trash and offline changes, and a systemd user unit that mounts a profile at
login.")

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME coffer-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_SERVER_PACKAGE_RECOMMENDS "coffer")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
  ${packaging}/debian/coffer-server/conffiles ${packaging}/debian/coffer-server/postinst
  ${packaging}/debian/coffer-server/prerm ${packaging}/debian/coffer-server/postrm)
set(CPACK_COMPONENT_SERVER_DESCRIPTION "end-to-end encrypted personal cloud - server
Coffer keeps your files on your own server, encrypted on each computer before
they leave it. This package holds cofferd, the server, which stores only
ciphertext, and coffer-admin, which manages its accounts, backups and
storage; cofferd runs as the system user coffer under a sandboxed systemd
unit, with its data in /var/lib/coffer.")

include(CPack)
