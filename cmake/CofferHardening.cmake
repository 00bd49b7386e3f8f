# The hardening flags Debian builds its packages with (`dpkg-buildflags` on Debian 12 with
# hardening=+all: fortify, stack protector, format checks, relro, now, PIE), applied to every
# build, not only to the packages (docs/architecture.md, "Builds").
option(COFFER_HARDENING "Build with Debian's hardening flags" ON)
if(NOT COFFER_HARDENING)
  return()
endif()

include(CheckPIESupported)
check_pie_supported(LANGUAGES CXX)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)

add_compile_options(-fstack-protector-strong -Wformat -Werror=format-security -Wdate-time)
# _FORTIFY_SOURCE works only when optimising (GCC warns without -O) and fights the sanitizers'
# own interceptors, so Debug and sanitizer builds go without it.
if(NOT COFFER_SANITIZE)
  add_compile_options($<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>)
endif()
add_link_options(LINKER:-z,relro LINKER:-z,now)
