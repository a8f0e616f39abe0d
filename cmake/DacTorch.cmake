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
