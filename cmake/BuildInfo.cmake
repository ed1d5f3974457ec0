# Generates build_info.cpp at build time (not configure time) so that `rayctl version` always
# names the commit that was built. The file is rewritten only when its content changes.
set(RAYCTL_BUILD_INFO_CPP ${CMAKE_BINARY_DIR}/generated/build_info.cpp)
add_custom_target(rayctl_build_info_gen
  COMMAND ${CMAKE_COMMAND}
    -DSOURCE_DIR=${CMAKE_SOURCE_DIR}
    -DOUTPUT=${RAYCTL_BUILD_INFO_CPP}
    -DVERSION=${PROJECT_VERSION}
    -DBUILD_TYPE=${CMAKE_BUILD_TYPE}
    -DCOMPILER="${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}"
    -P ${CMAKE_SOURCE_DIR}/cmake/WriteBuildInfo.cmake
  BYPRODUCTS ${RAYCTL_BUILD_INFO_CPP}
  COMMENT "Recording build info"
  VERBATIM)
