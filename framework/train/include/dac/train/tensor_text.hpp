// Tensor facts as text for error messages, e.g. a shape as "[768, 2304]".
#pragma once

#include <torch/types.h>

#include <sstream>
#include <string>

namespace dac::train {

inline std::string shape_text(torch::IntArrayRef sizes) {
  std::ostringstream out;
  out << "[";
  for (std::size_t i = 0; i < sizes.size(); ++i) out << (i ? ", " : "") << sizes[i];
  out << "]";
  return out.str();
}

}  // namespace dac::train
