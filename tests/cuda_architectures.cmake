# CTest script: configures tests/cuda_architectures (a project shaped like dacrun's CUDA build,
# where torch's config has set CMAKE_CUDA_ARCHITECTURES OFF) and checks in its compile commands
# that nvcc compiles the fused kernels for the default architectures (sm_80 and sm_90) and, with
# -DCMAKE_CUDA_ARCHITECTURES=90 on the command line, for sm_90 alone.
# Variables: SOURCE_DIR (the repository), WORK_DIR, GENERATOR, NVCC; optional MAKE_PROGRAM.
foreach(variable SOURCE_DIR WORK_DIR GENERATOR NVCC)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "cuda_architectures.cmake: -D${variable}=... is required")
  endif()
endforeach()

# check_architectures(<name> <expected gencode targets> <unexpected target> [cmake args...])
function(check_architectures name expected unexpected)
  set(build ${WORK_DIR}/${name})
  file(REMOVE_RECURSE ${build})
  set(make_program)
  if(MAKE_PROGRAM)
    set(make_program -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM})
  endif()
  execute_process(
    COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/cuda_architectures -B ${build} -G ${GENERATOR}
            ${make_program} -DDAC_SOURCE_DIR=${SOURCE_DIR} -DCMAKE_CUDA_COMPILER=${NVCC}
            -DCMAKE_EXPORT_COMPILE_COMMANDS=ON ${ARGN}
    RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "${name}: configuring failed (exit ${code}):\n${out}\n${err}")
  endif()
  file(READ ${build}/compile_commands.json commands)
  foreach(target IN LISTS expected)
    if(NOT commands MATCHES "code=[^ ]*${target}")
      message(FATAL_ERROR "${name}: nvcc does not compile for ${target}:\n${commands}")
    endif()
  endforeach()
  if(commands MATCHES "${unexpected}")
    message(FATAL_ERROR "${name}: nvcc also compiles for ${unexpected}:\n${commands}")
  endif()
  message(STATUS "${name}: compiled for ${expected}")
endfunction()

check_architectures(default "sm_80;sm_90" "sm_75")
check_architectures(chosen "sm_90" "sm_80" -DCMAKE_CUDA_ARCHITECTURES=90)
