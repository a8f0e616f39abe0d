// The ABI key: a plugin library is loaded only if the key it was compiled with equals the host's.
// It covers the framework's ABI version, the torch major.minor the framework was built against,
// and the C++ ABI (libstdc++ dual ABI and the compiler's ABI version).
#pragma once

#include "dac/build_config.hpp"

// Raised whenever a change to a plugin-visible type or interface breaks binary compatibility.
#ifndef DAC_FRAMEWORK_ABI_VERSION
#define DAC_FRAMEWORK_ABI_VERSION 1
#endif

#define DAC_ABI_STRINGIFY_(x) #x
#define DAC_ABI_STRINGIFY(x) DAC_ABI_STRINGIFY_(x)

#define DAC_ABI_KEY                                               \
  "dacrun-abi=" DAC_ABI_STRINGIFY(                                \
      DAC_FRAMEWORK_ABI_VERSION) ";torch=" DAC_TORCH_VERSION_MM   \
                                 ";cxx11-abi=" DAC_ABI_STRINGIFY( \
                                     _GLIBCXX_USE_CXX11_ABI) ";gxx-abi=" DAC_ABI_STRINGIFY(__GXX_ABI_VERSION)

namespace dac {
// The key the host was compiled with.
const char* host_abi_key();
}  // namespace dac
