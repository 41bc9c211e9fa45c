# The household's web app (web/): esbuild bundles web/src, and web/build.mjs turns the page, script and
# style sheet (each also gzipped) into a C++ source that the daemon serves from memory. Needs node and
# npm at build time (scripts/setup.sh installs them); web/package-lock.json pins the tools.
set(WEB_ASSETS_CPP ${CMAKE_CURRENT_BINARY_DIR}/generated/web_assets.cpp)
if(NOT DOORBELL_WITH_WEB_APP)  # no page and no OpenAPI document: the routes answer 404 saying why
  file(WRITE ${WEB_ASSETS_CPP} "#include \"doorbell/api/web_assets.hpp\"\n\n"
       "std::span<const doorbell::api::WebAsset> doorbell::api::web_assets() { return {}; }\n")
  return()
endif()
find_program(NODE_EXECUTABLE node REQUIRED)
find_program(NPM_EXECUTABLE npm REQUIRED)
set(WEB_DIR ${CMAKE_CURRENT_SOURCE_DIR}/web)
file(GLOB_RECURSE WEB_SOURCES CONFIGURE_DEPENDS ${WEB_DIR}/src/*)
add_custom_command(
  OUTPUT ${WEB_DIR}/node_modules/.package-lock.json
  COMMAND ${NPM_EXECUTABLE} ci --no-audit --no-fund --loglevel=error
  WORKING_DIRECTORY ${WEB_DIR}
  DEPENDS ${WEB_DIR}/package-lock.json
  COMMENT "Installing the web app's build tools (npm ci in web/)")
add_custom_command(
  OUTPUT ${WEB_ASSETS_CPP}
  COMMAND ${NODE_EXECUTABLE} ${WEB_DIR}/build.mjs ${CMAKE_CURRENT_BINARY_DIR}/web ${WEB_ASSETS_CPP}
  DEPENDS ${WEB_DIR}/build.mjs ${WEB_DIR}/openapi.mjs ${WEB_SOURCES} ${WEB_DIR}/node_modules/.package-lock.json
  COMMENT "Bundling the web app")
