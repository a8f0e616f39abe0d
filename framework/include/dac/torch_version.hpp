// DAC_TORCH_AT_LEAST(major, minor): whether the libtorch being built against is that version or
// newer, for the few calls whose names or overloads differ between torch versions. Include it only
// from code that builds against torch.
#pragma once

#include <torch/version.h>

#define DAC_TORCH_AT_LEAST(major, minor) \
  (TORCH_VERSION_MAJOR > (major) ||      \
   (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))
