# Cross-compiling for 64-bit Raspberry Pi OS / Debian arm64 with clang and lld against a sysroot of
# Debian's arm64 packages (scripts/arm64.sh makes one). Usage:
#   cmake -B build/arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake -DDOORBELL_SYSROOT=/path/to/sysroot
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(DOORBELL_SYSROOT "" CACHE PATH "A Debian arm64 root with doorbelld's -dev packages unpacked")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES DOORBELL_SYSROOT)  # CMake's compiler checks need it too
if(NOT DOORBELL_SYSROOT)
  message(FATAL_ERROR "set DOORBELL_SYSROOT to a Debian arm64 root (scripts/arm64.sh makes one)")
endif()
set(CMAKE_SYSROOT ${DOORBELL_SYSROOT})
set(CMAKE_C_COMPILER clang)
set(CMAKE_CXX_COMPILER clang++)
set(CMAKE_C_COMPILER_TARGET aarch64-linux-gnu)
set(CMAKE_CXX_COMPILER_TARGET aarch64-linux-gnu)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-fuse-ld=lld")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-fuse-ld=lld")
set(CMAKE_FIND_ROOT_PATH ${DOORBELL_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(ENV{PKG_CONFIG_SYSROOT_DIR} ${DOORBELL_SYSROOT})
set(ENV{PKG_CONFIG_LIBDIR}
    "${DOORBELL_SYSROOT}/usr/lib/aarch64-linux-gnu/pkgconfig:${DOORBELL_SYSROOT}/usr/share/pkgconfig")
