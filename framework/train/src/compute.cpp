// Resolving the compute device, precision, threads and peak FLOP/s; bf16 autocast; memory and
// synchronisation. CUDA-only calls (device names, allocator statistics) compile only where the
// CUDA headers are on the include path, i.e. against a CUDA build of torch.
#include "dac/train/compute.hpp"

#include <ATen/autocast_mode.h>
#include <torch/torch.h>
#include <torch/version.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <thread>

#include "dac/cpu_runtime.hpp"
#include "dac/device.hpp"
#include "dac/error.hpp"
#include "dac/model/autocast_state.hpp"

// The allocator statistics need a CUDA build of torch (only it has cuda_cmake_macros.h) and the
// CUDA runtime headers; the device properties also need cuBLAS's and cuSPARSE's (ATen's CUDA
// context includes them).
#if __has_include(<c10/cuda/impl/cuda_cmake_macros.h>) && __has_include(<cuda_runtime_api.h>) && \
    __has_include(<c10/cuda/CUDACachingAllocator.h>)
#include <c10/cuda/CUDACachingAllocator.h>
#define DAC_TRAIN_CUDA_ALLOCATOR 1
#else
#define DAC_TRAIN_CUDA_ALLOCATOR 0
#endif
#if DAC_TRAIN_CUDA_ALLOCATOR && __has_include(<ATen/cuda/CUDAContext.h>) && \
    __has_include(<cublas_v2.h>) && __has_include(<cusparse.h>)
#include <ATen/cuda/CUDAContext.h>
#define DAC_TRAIN_CUDA_CONTEXT 1
#else
#define DAC_TRAIN_CUDA_CONTEXT 0
#endif

namespace dac::train {

namespace {

std::int64_t cuda_index(const torch::Device& device) {
  return device.has_index() ? device.index() : 0;
}

std::string cuda_device_name(const torch::Device& device) {
#if DAC_TRAIN_CUDA_CONTEXT
  return at::cuda::getDeviceProperties(cuda_index(device))->name;
#else
  (void)device;
  return "cuda";
#endif
}

torch::Device parse_device(const std::string& text) {
  if (text == "auto") return torch::cuda::is_available() ? torch::Device("cuda:0") : torch::kCPU;
  if (text == "cpu") return torch::kCPU;
  if (text == "cuda" || text.rfind("cuda:", 0) == 0) {
    if (!torch::cuda::is_available())
      throw UserError("device '" + text +
                      "' was asked for, but CUDA is not available (no GPU, or this dacrun is "
                      "built with a CPU-only torch); use device = \"cpu\" or \"auto\"");
    torch::Device device = text == "cuda" ? torch::Device("cuda:0") : torch::kCPU;
    if (text != "cuda") {
      try {
        device = torch::Device(text);
      } catch (const std::exception&) {
        throw UserError("unknown device '" + text + "'; use auto, cpu, cuda or cuda:N");
      }
    }
    const auto count = static_cast<std::int64_t>(torch::cuda::device_count());
    if (cuda_index(device) >= count)
      throw UserError("device '" + text + "' was asked for, but this machine has " +
                      std::to_string(count) + " CUDA device" + (count == 1 ? "" : "s"));
    return device;
  }
  throw UserError("unknown device '" + text + "'; use auto, cpu, cuda or cuda:N");
}

// A matmul measurement reseeds torch; the caller's random streams are kept as they were.
double measure_peak(const torch::Device& device) {
  at::Generator cpu = at::detail::getDefaultCPUGenerator();
  torch::Tensor cpu_state;
  {
    std::lock_guard<std::mutex> lock(cpu.mutex());
    cpu_state = cpu.get_state();
  }
  std::vector<torch::Tensor> cuda_states;
  const int cuda_devices = torch::cuda::is_available() ? torch::cuda::device_count() : 0;
  for (int i = 0; i < cuda_devices; ++i) {
    at::Generator generator = at::globalContext().defaultGenerator(torch::Device(torch::kCUDA, i));
    std::lock_guard<std::mutex> lock(generator.mutex());
    cuda_states.push_back(generator.get_state());
  }
  const MatmulMeasurement measurement = device.is_cuda()
                                            ? measure_matmul(4096, 10, "bfloat16", device.str())
                                            : measure_matmul(1024, 5, "float32", "cpu");
  {
    std::lock_guard<std::mutex> lock(cpu.mutex());
    cpu.set_state(cpu_state);
  }
  for (int i = 0; i < cuda_devices; ++i) {
    at::Generator generator = at::globalContext().defaultGenerator(torch::Device(torch::kCUDA, i));
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(cuda_states[i]);
  }
  return measurement.gflops * 1e9;
}

}  // namespace

ConfigNode Compute::describe() const {
  ConfigNode table = ConfigNode::table();
  table.set("device", ConfigNode::string(device.str()));
  table.set("device_name", ConfigNode::string(device_name));
  table.set("precision", ConfigNode::string(bf16 ? "bf16" : "fp32"));
  table.set("threads", ConfigNode::integer(threads));
  table.set("peak_tflops", ConfigNode::real(peak_flops / 1e12));
  table.set("peak_source", ConfigNode::string(peak_source));
  table.set("torch_version", ConfigNode::string(TORCH_VERSION));
  return table;
}

ConfigSchema& add_compute_options(ConfigSchema& schema) {
  return schema.string("device", "auto", "auto (CUDA when present), cpu, cuda or cuda:N")
      .string("precision", "auto", "auto (bf16 mixed precision on CUDA, fp32 on CPU), bf16, fp32")
      .choices({"auto", "bf16", "fp32"})
      .integer("threads", 0, "CPU threads for torch; 0 = all cores")
      .min(0)
      .real("peak_tflops", 0,
            "device peak for MFU; 0 = the device table (CUDA) or a measured "
            "fp32 matmul (CPU)")
      .min(0);
}

ComputeRequest compute_request_from(const Options& options) {
  ComputeRequest request;
  request.device = options.string("device");
  request.precision = options.string("precision");
  request.threads = options.integer("threads");
  request.peak_tflops = options.real("peak_tflops");
  return request;
}

Compute resolve_compute(const ComputeRequest& request) {
  Compute compute;
  if (request.threads < 0)
    throw UserError("threads must be 0 (all cores) or more, got " +
                    std::to_string(request.threads));
  const std::int64_t cores = std::max<std::int64_t>(1, std::thread::hardware_concurrency());
  compute.threads = request.threads > 0 ? request.threads : cores;
  set_cpu_threads(static_cast<int>(compute.threads));

  compute.device = parse_device(request.device);
  const bool cuda = compute.device.is_cuda();
  if (request.precision == "auto") {
    compute.bf16 = cuda;
  } else if (request.precision == "bf16") {
    if (!cuda)
      throw UserError(
          "bf16 mixed precision needs CUDA, but training runs on the CPU; use "
          "precision = \"fp32\" or \"auto\"");
    compute.bf16 = true;
  } else if (request.precision == "fp32") {
    compute.bf16 = false;
  } else {
    throw UserError("unknown precision '" + request.precision + "'; use auto, bf16 or fp32");
  }

  if (cuda) {
    at::globalContext().setAllowTF32CuBLAS(true);
    at::globalContext().setAllowTF32CuDNN(true);
    compute.device_name = cuda_device_name(compute.device);
  } else {
    compute.device_name = "cpu (" + std::to_string(compute.threads) +
                          (compute.threads == 1 ? " thread)" : " threads)");
  }

  if (request.peak_tflops < 0)
    throw UserError("peak_tflops must be 0 (look up or measure) or more");
  if (request.peak_tflops > 0) {
    compute.peak_flops = request.peak_tflops * 1e12;
    compute.peak_source = "config";
  } else if (cuda && peak_flops_from_table(compute.device_name) > 0) {
    compute.peak_flops = peak_flops_from_table(compute.device_name);
    compute.peak_source = "table";
  } else {
    compute.peak_flops = measure_peak(compute.device);
    compute.peak_source = cuda ? "measured bf16 matmul" : "measured fp32 matmul";
  }
  return compute;
}

AutocastGuard::AutocastGuard(const Compute& compute)
    : active_(compute.bf16 && compute.device.is_cuda()) {
  if (!active_) return;
  previous_ = model::cuda_autocast();
  model::set_cuda_autocast({true, at::kBFloat16});
  at::autocast::increment_nesting();
}

AutocastGuard::~AutocastGuard() {
  if (!active_) return;
  model::set_cuda_autocast(previous_);
  // The outermost guard drops the casts cached for this forward pass, as torch.autocast does.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
}

double peak_flops_from_table(const std::string& device_name) {
  std::set<std::string> words;
  std::string word;
  for (const char c : device_name + " ") {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      words.insert(word);
      word.clear();
    }
  }
  auto has = [&](const char* w) { return words.count(w) > 0; };
  // Dense bf16 tensor-core FLOP/s from the vendors' data sheets.
  if (has("h200")) return has("nvl") ? 835e12 : 989e12;
  if (has("h100")) return has("pcie") ? 756e12 : has("nvl") ? 835e12 : 989e12;
  if (has("a100")) return 312e12;
  if (has("a6000")) return 154.8e12;
  if (has("l40s")) return 362e12;
  if (has("4090")) return 165.2e12;
  if (has("l4")) return 121e12;
  if (has("a10")) return 125e12;
  return 0;
}

std::int64_t memory_in_use(const Compute& compute) {
  if (compute.device.is_cuda()) {
#if DAC_TRAIN_CUDA_ALLOCATOR
    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(
        static_cast<c10::DeviceIndex>(cuda_index(compute.device)));
    return stats.allocated_bytes[0].peak;  // index 0: all pools together
#else
    return 0;
#endif
  }
  std::ifstream statm("/proc/self/statm");
  std::int64_t total_pages = 0, resident_pages = 0;
  if (!(statm >> total_pages >> resident_pages)) return 0;
  return resident_pages * static_cast<std::int64_t>(sysconf(_SC_PAGESIZE));
}

void reset_peak_memory(const Compute& compute) {
#if DAC_TRAIN_CUDA_ALLOCATOR
  if (compute.device.is_cuda())
    c10::cuda::CUDACachingAllocator::resetPeakStats(
        static_cast<c10::DeviceIndex>(cuda_index(compute.device)));
#else
  (void)compute;
#endif
}

void synchronize(const Compute& compute) {
  if (compute.device.is_cuda()) torch::cuda::synchronize(cuda_index(compute.device));
}

}  // namespace dac::train
