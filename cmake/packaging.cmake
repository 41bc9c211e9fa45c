# What `cmake --install` and the Debian package (CPack DEB, scripts/package.sh) put where: the binaries
# under the prefix, the unit, udev rule and configuration at the paths Debian bookworm expects.
install(TARGETS doorbelld doorbell-convert-model RUNTIME DESTINATION bin)
install(FILES config/doorbelld.service DESTINATION /lib/systemd/system)
install(FILES config/60-doorbelld-gpio.rules DESTINATION /lib/udev/rules.d)
install(FILES config/raspberry-pi.json DESTINATION /etc/doorbelld RENAME doorbelld.json)
install(PROGRAMS scripts/fetch-model.sh DESTINATION share/doorbelld)
install(FILES README.md config/doorbelld.example.json DESTINATION share/doc/doorbelld)
install(DIRECTORY docs/ DESTINATION share/doc/doorbelld/docs FILES_MATCHING PATTERN "*.md")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME doorbelld)
set(CPACK_PACKAGE_VENDOR "doorbelld developers")
set(CPACK_PACKAGE_CONTACT "doorbelld developers <dev@doorbelld.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Doorbell security daemon: who is at the door, with a snapshot")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES TRUE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION video)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/doorbelld/doorbelld")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, init-system-helpers, libdlib-data, openssl, ca-certificates")
# The Pi Camera Module's element: built by the distribution against its own libcamera (Debian's or
# Raspberry Pi OS's), so the package names no libcamera version (docs/cameras.md). FFmpeg's and GStreamer's
# video plugins decode IP cameras' streams.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "libopenblas0-pthread, curl, bzip2, gstreamer1.0-libcamera, gstreamer1.0-plugins-base, gstreamer1.0-plugins-good")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_SOURCE_DIR}/config/debian/postinst ${CMAKE_CURRENT_SOURCE_DIR}/config/debian/prerm
    ${CMAKE_CURRENT_SOURCE_DIR}/config/debian/postrm ${CMAKE_CURRENT_SOURCE_DIR}/config/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
