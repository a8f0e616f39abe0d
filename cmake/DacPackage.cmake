# Installs the CMake package `dacrun`: find_package(dacrun) gives the dac::framework and
# dac::torch_support targets and dac_add_plugin(), so a plugin can be built outside this repository.
include(CMakePackageConfigHelpers)
set(DAC_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/dacrun)

# Installed, the targets carry the same names as their aliases in this build (dac_add_library
# names the others).
set_target_properties(dac_framework PROPERTIES EXPORT_NAME framework)

install(EXPORT dacrunTargets NAMESPACE dac:: DESTINATION ${DAC_CMAKE_INSTALL_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/dacrunConfig.cmake.in
  ${CMAKE_BINARY_DIR}/dacrunConfig.cmake INSTALL_DESTINATION ${DAC_CMAKE_INSTALL_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/dacrunConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/dacrunConfig.cmake ${CMAKE_BINARY_DIR}/dacrunConfigVersion.cmake
              ${CMAKE_CURRENT_LIST_DIR}/DacPlugin.cmake
        DESTINATION ${DAC_CMAKE_INSTALL_DIR})
