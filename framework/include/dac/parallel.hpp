// A minimal fork-join helper (the prepare stage's encoding, the annotation of GLUE sentences):
// runs fn(worker, begin, end) over contiguous slices of [0, count) on `workers` threads and
// waits; the first exception is rethrown.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace dac {

template <class Fn>
void parallel_slices(std::size_t count, unsigned workers, Fn fn) {
  if (workers <= 1 || count < 2) {
    fn(0u, std::size_t{0}, count);
    return;
  }
  std::vector<std::thread> threads;
  std::vector<std::exception_ptr> errors(workers);
  const std::size_t per_worker = (count + workers - 1) / workers;
  for (unsigned worker = 0; worker < workers; ++worker) {
    const std::size_t begin = std::min(count, worker * per_worker);
    const std::size_t end = std::min(count, begin + per_worker);
    threads.emplace_back([&, worker, begin, end] {
      try {
        fn(worker, begin, end);
      } catch (...) {
        errors[worker] = std::current_exception();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (auto& error : errors)
    if (error) std::rethrow_exception(error);
}

}  // namespace dac
