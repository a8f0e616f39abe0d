// Thread counts for torch and OpenBLAS, and glibc's large-allocation policy.
#include "dac/cpu_runtime.hpp"

#include <ATen/Parallel.h>
#include <dlfcn.h>
#include <malloc.h>

#include <algorithm>
#include <atomic>

namespace dac {

namespace {

// OpenBLAS's setter, looked up at run time: torch may run on another BLAS.
using OpenblasSetter = void (*)(int);
OpenblasSetter openblas_setter() {
  static const auto setter =
      reinterpret_cast<OpenblasSetter>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
  return setter;
}

std::atomic<int> requested_threads{0};

}  // namespace

void set_cpu_threads(int threads) {
  threads = std::max(1, threads);
  requested_threads = threads;
  if (OpenblasSetter setter = openblas_setter()) {
    // The threads go to OpenBLAS and torch's own kernels stay on one: torch's OpenMP workers and
    // OpenBLAS's spin-waiting workers on the same cores slow each other down several times over.
    // Measured on 2 cores: encoder pretraining 3357 tokens/s against 2929 with both on 2 threads,
    // parser training 61 s an epoch against 200 s.
    setter(threads);
    at::set_num_threads(1);
  } else {
    at::set_num_threads(threads);
  }
}

int cpu_threads() {
  const int requested = requested_threads;
  return requested > 0 ? requested : at::get_num_threads();
}

bool blas_has_own_threads() {
  return openblas_setter() != nullptr;
}

void keep_freed_memory_for_reuse() {
  // Allocations up to 1 GiB come from the heap; up to 1 GiB of freed heap top stays mapped.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

}  // namespace dac
