// Parameter counting for the encoders (describe(), FLOPs estimates and tests).
#pragma once

#include <torch/nn/module.h>

#include <cstdint>

namespace dac::model {

// The number of scalars in every parameter of `module` and its submodules (buffers excluded).
std::int64_t parameter_count(const torch::nn::Module& module);

}  // namespace dac::model
