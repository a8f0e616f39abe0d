// The CPU thread setting: the count a run asks for reaches the BLAS (OpenBLAS when torch uses it)
// or torch, never both at once.
#include "dac/cpu_runtime.hpp"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

namespace dac {
namespace {

int openblas_threads() {
  using Getter = int (*)();
  const auto getter = reinterpret_cast<Getter>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
  return getter != nullptr ? getter() : -1;
}

TEST(CpuRuntime, GivesTheThreadsToOneLayerOnly) {
  const int before = cpu_threads();
  for (int threads : {2, 1}) {
    set_cpu_threads(threads);
    EXPECT_EQ(cpu_threads(), threads);
    if (blas_has_own_threads()) {
      EXPECT_EQ(openblas_threads(), threads);
      EXPECT_EQ(torch::get_num_threads(), 1);
    } else {
      EXPECT_EQ(torch::get_num_threads(), threads);
    }
  }
  set_cpu_threads(0);
  EXPECT_EQ(cpu_threads(), 1) << "at least one thread";
  set_cpu_threads(before);
}

TEST(CpuRuntime, LargeBuffersStayUsableAfterTheAllocatorSetting) {
  keep_freed_memory_for_reuse();
  for (int round = 0; round < 3; ++round) {
    torch::Tensor big = torch::ones({64, 1024, 1024});  // 256 MiB, from the heap now
    EXPECT_EQ(big.sum().item<double>(), 64.0 * 1024 * 1024);
  }
}

}  // namespace
}  // namespace dac
