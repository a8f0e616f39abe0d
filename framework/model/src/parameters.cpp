// Parameter counting for the encoders.
#include "dac/model/parameters.hpp"

namespace dac::model {

std::int64_t parameter_count(const torch::nn::Module& module) {
  std::int64_t count = 0;
  for (const auto& parameter : module.parameters(/*recurse=*/true)) count += parameter.numel();
  return count;
}

}  // namespace dac::model
