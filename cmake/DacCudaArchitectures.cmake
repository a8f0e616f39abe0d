# dac_cuda_architectures(<out_var>): the GPU architectures dacrun's own CUDA kernels are built for.
# A -DCMAKE_CUDA_ARCHITECTURES=... given on the command line wins; otherwise Ampere and Hopper.
# The cache entry is read, not the variable: torch's CMake config sets the variable OFF (it
# passes its own architectures through FindCUDA's flags, which targets of the CUDA language never
# see), and a kernel target left at OFF gets nvcc's oldest default architecture, whose code the
# driver recompiles at load time without the bf16 instructions of sm_80 and later.
function(dac_cuda_architectures out_var)
  set(architectures "$CACHE{CMAKE_CUDA_ARCHITECTURES}")
  if(NOT architectures)
    set(architectures "80;90")
  endif()
  set(${out_var} "${architectures}" PARENT_SCOPE)
endfunction()
