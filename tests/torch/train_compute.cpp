// Resolving the compute device and precision, the peak FLOP/s table, and the CPU fallbacks.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "dac/cpu_runtime.hpp"
#include "dac/error.hpp"
#include "dac/train/compute.hpp"
#include "support/test_support.hpp"

namespace dac::train {
namespace {

using test::contains;

ComputeRequest cpu_request() {
  ComputeRequest request;
  request.device = "cpu";
  request.threads = 1;
  request.peak_tflops = 0.25;
  return request;
}

TEST(Compute, ResolvesTheCpu) {
  const int threads_before = cpu_threads();
  const Compute compute = resolve_compute(cpu_request());
  EXPECT_TRUE(compute.device.is_cpu());
  EXPECT_FALSE(compute.bf16);
  EXPECT_EQ(compute.threads, 1);
  EXPECT_EQ(cpu_threads(), 1);
  EXPECT_EQ(torch::get_num_threads(), 1);
  EXPECT_EQ(compute.device_name, "cpu (1 thread)");
  EXPECT_DOUBLE_EQ(compute.peak_flops, 0.25e12);
  EXPECT_EQ(compute.peak_source, "config");

  const ConfigNode description = compute.describe();
  EXPECT_EQ(description.find("device")->as_string(), "cpu");
  EXPECT_EQ(description.find("precision")->as_string(), "fp32");
  EXPECT_EQ(description.find("threads")->as_int(), 1);
  EXPECT_DOUBLE_EQ(description.find("peak_tflops")->as_float(), 0.25);
  EXPECT_EQ(description.find("peak_source")->as_string(), "config");
  EXPECT_FALSE(description.find("torch_version")->as_string().empty());
  set_cpu_threads(threads_before);
}

TEST(Compute, MeasuresTheCpuPeakWithoutDisturbingRandomStreams) {
  ComputeRequest request = cpu_request();
  request.peak_tflops = 0;
  request.threads = 0;
  torch::manual_seed(42);
  const torch::Tensor expected = torch::rand({4});
  torch::manual_seed(42);
  const Compute compute = resolve_compute(request);
  EXPECT_TRUE(torch::equal(torch::rand({4}), expected));
  EXPECT_GT(compute.peak_flops, 1e8);
  EXPECT_EQ(compute.peak_source, "measured fp32 matmul");
  EXPECT_GE(compute.threads, 1);
}

TEST(Compute, AutoPicksCudaOnlyWhenPresent) {
  ComputeRequest request = cpu_request();
  request.device = "auto";
  const Compute compute = resolve_compute(request);
  EXPECT_EQ(compute.device.is_cuda(), torch::cuda::is_available());
  EXPECT_EQ(compute.bf16, torch::cuda::is_available());
}

TEST(Compute, Bf16OnTheCpuIsAUserError) {
  ComputeRequest request = cpu_request();
  request.precision = "bf16";
  EXPECT_PRED2(contains, test::error_of<UserError>([&] { resolve_compute(request); }),
               "bf16 mixed precision needs CUDA");
}

TEST(Compute, CudaWithoutCudaIsAUserError) {
  if (torch::cuda::is_available()) GTEST_SKIP() << "CUDA is present";
  for (const char* device : {"cuda", "cuda:0"}) {
    ComputeRequest request = cpu_request();
    request.device = device;
    const std::string error = test::error_of<UserError>([&] { resolve_compute(request); });
    EXPECT_PRED2(contains, error, "CUDA is not available");
    EXPECT_PRED2(contains, error, device);
  }
}

TEST(Compute, UnknownChoicesAreUserErrors) {
  ComputeRequest request = cpu_request();
  request.device = "tpu";
  EXPECT_PRED2(contains, test::error_of<UserError>([&] { resolve_compute(request); }), "'tpu'");
  request = cpu_request();
  request.precision = "fp8";
  EXPECT_PRED2(contains, test::error_of<UserError>([&] { resolve_compute(request); }), "'fp8'");
}

TEST(Compute, PeakTableKnowsCommonCards) {
  EXPECT_DOUBLE_EQ(peak_flops_from_table("NVIDIA H100 80GB HBM3"), 989e12);
  EXPECT_DOUBLE_EQ(peak_flops_from_table("NVIDIA H100 PCIe"), 756e12);
  EXPECT_DOUBLE_EQ(peak_flops_from_table("NVIDIA H200"), 989e12);
  EXPECT_DOUBLE_EQ(peak_flops_from_table("NVIDIA A100-SXM4-80GB"), 312e12);
  EXPECT_DOUBLE_EQ(peak_flops_from_table("NVIDIA A100-PCIE-40GB"), 312e12);
  EXPECT_DOUBLE_EQ(peak_flops_from_table("NVIDIA RTX A6000"), 154.8e12);
  EXPECT_DOUBLE_EQ(peak_flops_from_table("NVIDIA L40S"), 362e12);
  EXPECT_DOUBLE_EQ(peak_flops_from_table("NVIDIA GeForce RTX 4090"), 165.2e12);
  EXPECT_DOUBLE_EQ(peak_flops_from_table("NVIDIA L4"), 121e12);
  EXPECT_DOUBLE_EQ(peak_flops_from_table("NVIDIA A10"), 125e12);
  EXPECT_EQ(peak_flops_from_table("NVIDIA A10G"), 0);
  EXPECT_EQ(peak_flops_from_table("cpu"), 0);
  EXPECT_EQ(peak_flops_from_table(""), 0);
}

TEST(Compute, CpuMemoryIsTheResidentSetAndAutocastIsOff) {
  const Compute compute = resolve_compute(cpu_request());
  EXPECT_GT(memory_in_use(compute), 1 << 20);
  reset_peak_memory(compute);
  synchronize(compute);
  const torch::Tensor a = torch::ones({2, 2});
  AutocastGuard guard(compute);
  EXPECT_EQ(torch::matmul(a, a).scalar_type(), torch::kFloat32);
}

}  // namespace
}  // namespace dac::train
