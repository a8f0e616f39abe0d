# Torch for the targets that need tensors. Every such target reuses one precompiled header of
# <torch/torch.h> (about 35 s per unit without it, 19 s with it on two cores).
string(REGEX MATCH "^([0-9]+)\\.([0-9]+)" _dac_torch_mm "${Torch_VERSION}")
set(DAC_TORCH_VERSION_MM "${_dac_torch_mm}")
if(NOT DAC_TORCH_VERSION_MM)
  message(FATAL_ERROR "dacrun: could not read the torch version (Torch_VERSION='${Torch_VERSION}')")
endif()
message(STATUS "dacrun: torch ${Torch_VERSION}")

add_library(dac_torch_pch OBJECT ${CMAKE_CURRENT_LIST_DIR}/torch_pch.cpp)
target_link_libraries(dac_torch_pch PUBLIC torch)
target_compile_features(dac_torch_pch PUBLIC cxx_std_20)
target_precompile_headers(dac_torch_pch PUBLIC <torch/torch.h>)

# dac_use_torch(target): links torch and reuses the shared precompiled header.
# fmt is used header-only there: a PyTorch wheel puts its own fmt headers on torch's include path.
# Executables compile with -fPIC as the header was, or GCC would refuse it (-fPIE differs).
function(dac_use_torch target)
  target_link_libraries(${target} PRIVATE torch fmt::fmt-header-only)
  target_precompile_headers(${target} REUSE_FROM dac_torch_pch)
  get_target_property(_dac_type ${target} TYPE)
  if(_dac_type STREQUAL "EXECUTABLE")
    target_compile_options(${target} PRIVATE -fPIC)
  endif()
endfunction()

# A CUDA build of torch also builds the CUDA tests and, where a CUDA compiler is found, dacrun's
# own CUDA kernels (framework/model/cuda; without them fused operations run as torch operations).
# Architectures default to Ampere and Hopper; pass -DCMAKE_CUDA_ARCHITECTURES to change
# (DacCudaArchitectures.cmake). The CUDA runtime is linked shared, so the kernels and torch use one
# runtime.
set(DAC_TORCH_CUDA OFF)
set(DAC_CUDA_KERNELS OFF)
if(TORCH_CUDA_LIBRARIES OR TARGET torch_cuda)
  set(DAC_TORCH_CUDA ON)
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    include(DacCudaArchitectures)
    dac_cuda_architectures(DAC_CUDA_ARCHITECTURES)
    set(CMAKE_CUDA_RUNTIME_LIBRARY Shared)
    enable_language(CUDA)
    set(DAC_CUDA_KERNELS ON)
    message(STATUS "dacrun: CUDA kernels for architectures ${DAC_CUDA_ARCHITECTURES}")
  else()
    message(WARNING "dacrun: no CUDA compiler found; the fused kernels are not built")
  endif()
endif()
