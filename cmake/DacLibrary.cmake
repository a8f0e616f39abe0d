# dac_add_library(NAME): one of the framework's shared libraries, dac_NAME, built from the calling
# folder's src/*.cpp, with its alias dac::NAME (also its name in the installed package), the
# folder's include/ as its public headers, and its install rules.
function(dac_add_library name)
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/src/*.cpp)
  set(target dac_${name})
  add_library(${target} SHARED ${sources})
  add_library(dac::${name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  install(TARGETS ${target} EXPORT dacrunTargets LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/include/dac
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endfunction()
