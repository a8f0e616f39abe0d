// Device description and matmul timing with libtorch.
#include "dac/device.hpp"

#include <torch/torch.h>
#include <torch/version.h>

#include <chrono>

#include "dac/cpu_runtime.hpp"
#include "dac/error.hpp"

namespace dac {

ConfigNode describe_torch_device() {
  ConfigNode table = ConfigNode::table();
  table.set("torch_version", ConfigNode::string(TORCH_VERSION));
  table.set("cpu_threads", ConfigNode::integer(cpu_threads()));
  table.set("blas_threads", ConfigNode::boolean(blas_has_own_threads()));
  table.set("parallel_info", ConfigNode::string(at::get_parallel_info()));
  const bool cuda = torch::cuda::is_available();
  table.set("cuda_available", ConfigNode::boolean(cuda));
  ConfigNode devices = ConfigNode::array();
  if (cuda) {
    for (int index = 0; index < static_cast<int>(torch::cuda::device_count()); ++index) {
      ConfigNode device = ConfigNode::table();
      device.set("index", ConfigNode::integer(index));
      devices.push_back(std::move(device));
    }
  }
  table.set("cuda_devices", devices);
  table.set("compute", ConfigNode::string(cuda ? "cuda" : "cpu"));
  return table;
}

namespace {

torch::Dtype parse_dtype(const std::string& name) {
  if (name == "float32") return torch::kFloat32;
  if (name == "bfloat16") return torch::kBFloat16;
  if (name == "float16") return torch::kFloat16;
  throw UserError("unknown dtype '" + name + "'; use float32, bfloat16 or float16");
}

torch::Device parse_device(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  if (name.rfind("cuda", 0) == 0) {
    if (!torch::cuda::is_available())
      throw UserError("device '" + name +
                      "' requested, but CUDA is not available in this build "
                      "or machine; use --device cpu");
    return torch::Device(name);
  }
  throw UserError("unknown device '" + name + "'; use cpu, cuda or cuda:K");
}

void synchronize(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize(device.index() < 0 ? 0 : device.index());
}

}  // namespace

MatmulMeasurement measure_matmul(std::int64_t size, int repeats, const std::string& dtype,
                                 const std::string& device_name) {
  if (size < 1) throw UserError("matmul size must be at least 1, got " + std::to_string(size));
  if (repeats < 1) throw UserError("repeats must be at least 1, got " + std::to_string(repeats));
  const torch::Device device = parse_device(device_name);
  const auto options = torch::TensorOptions().dtype(parse_dtype(dtype)).device(device);
  torch::NoGradGuard no_grad;
  torch::manual_seed(0);
  const torch::Tensor a = torch::randn({size, size}, options);
  const torch::Tensor b = torch::randn({size, size}, options);
  torch::Tensor c = torch::matmul(a, b);  // warm-up
  synchronize(device);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < repeats; ++i) c = torch::matmul(a, b);
  synchronize(device);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / repeats;

  MatmulMeasurement result;
  result.device = device.str();
  result.dtype = dtype;
  result.size = size;
  result.repeats = repeats;
  result.seconds_per_matmul = seconds;
  result.gflops = 2.0 * static_cast<double>(size) * size * size / seconds / 1e9;
  return result;
}

}  // namespace dac
