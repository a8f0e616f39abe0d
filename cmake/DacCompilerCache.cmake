# Uses ccache when it is installed. PCH-friendly settings let ccache cache units that use the
# shared precompiled header.
find_program(DAC_CCACHE ccache)
if(DAC_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER
      ${CMAKE_COMMAND} -E env
      "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
      ${DAC_CCACHE})
  message(STATUS "dacrun: using ccache (${DAC_CCACHE})")
endif()
