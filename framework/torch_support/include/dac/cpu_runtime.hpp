// CPU runtime settings for torch work: one thread count for torch's own kernels and for the BLAS
// library under it, and an allocator setting that keeps large tensor buffers in the process
// instead of handing them back to the kernel after every step. No torch in this header.
#pragma once

namespace dac {

// Runs torch's CPU work on `threads` cores (at least 1). When torch runs on OpenBLAS, the threads
// go to OpenBLAS and torch's own kernels run on one; otherwise torch gets them. Without this,
// OpenBLAS keeps one spinning worker per core whatever torch was told, which halves the
// throughput of a run meant to use one core.
void set_cpu_threads(int threads);
// The count last given to set_cpu_threads, or torch's own before any.
int cpu_threads();
// Whether the BLAS under torch has its own thread pool (OpenBLAS).
bool blas_has_own_threads();

// Makes glibc serve large allocations from the heap and keep freed memory for reuse. Torch frees
// and reallocates its activation buffers every step; by default each buffer over a few megabytes
// is a fresh mmap whose pages fault in again, which costs CPU training about half its time.
// Call once at program start.
void keep_freed_memory_for_reuse();

}  // namespace dac
