# One static library per layer, doorbell::<name>, linking only the layers it may use: docs/architecture.md
# draws the graph. A component's public headers (include/doorbell/<name>/) are reachable only through its
# own include root in the build tree, which holds a link to that folder alone — so a header of a layer the
# component does not depend on is not found, and an upward include fails to compile.
function(doorbell_component name)
  cmake_parse_arguments(C "" "" "SOURCES;DEPENDS;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
  set(root ${CMAKE_CURRENT_BINARY_DIR}/include-roots/${name})
  file(MAKE_DIRECTORY ${root}/doorbell)
  file(CREATE_LINK ${PROJECT_SOURCE_DIR}/include/doorbell/${name} ${root}/doorbell/${name} SYMBOLIC)
  add_library(doorbell_${name} STATIC ${C_SOURCES})
  add_library(doorbell::${name} ALIAS doorbell_${name})
  target_include_directories(doorbell_${name} PUBLIC ${root})
  list(TRANSFORM C_DEPENDS PREPEND doorbell::)
  target_link_libraries(doorbell_${name} PUBLIC ${C_DEPENDS} ${C_PUBLIC_LIBS} PRIVATE doorbell_warnings ${C_PRIVATE_LIBS})
endfunction()
