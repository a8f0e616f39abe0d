// Backward pass of taking q, k and v out of a fused attention projection [batch, 128, 3 · 768]
// (float32, on the CPU): split_qkv's one unbind, against indexing the three parts, whose backward
// fills a zero copy of the whole projection per part and adds the three. Each iteration runs the
// forward split, a product per part (a stand-in for attention) and the backward pass.
// Run: build/bin/dac_bench_attention [--benchmark_filter=...]; the argument is the batch.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <array>

#include "dac/model/attention.hpp"

namespace {

constexpr std::int64_t kSeq = 128, kHeads = 12, kHeadDim = 64;

std::array<torch::Tensor, 3> indexed_parts(const torch::Tensor& projection) {
  const torch::Tensor parts =
      projection.view({projection.size(0), kSeq, 3, kHeads, kHeadDim}).permute({2, 0, 3, 1, 4});
  return {parts[0], parts[1], parts[2]};
}

template <typename Split>
void run_split_backward(benchmark::State& state, Split split) {
  const std::int64_t batch = state.range(0);
  torch::manual_seed(0);
  torch::Tensor projection =
      torch::randn({batch, kSeq, 3 * kHeads * kHeadDim}, torch::requires_grad());
  const torch::Tensor weight = torch::randn({batch, kHeads, kSeq, kHeadDim});
  for (auto _ : state) {
    const auto [q, k, v] = split(projection);
    ((q * weight).sum() + (k * weight).sum() + (v * weight).sum()).backward();
    benchmark::DoNotOptimize(projection.grad().data_ptr());
    projection.mutable_grad().reset();
  }
  state.SetBytesProcessed(state.iterations() * projection.numel() *
                          static_cast<std::int64_t>(sizeof(float)));
}

void BM_SplitQkvBackward(benchmark::State& state) {
  run_split_backward(state,
                     [](const torch::Tensor& p) { return dac::model::split_qkv(p, kHeads); });
}

void BM_IndexedQkvBackward(benchmark::State& state) {
  run_split_backward(state, indexed_parts);
}

}  // namespace

BENCHMARK(BM_SplitQkvBackward)->Arg(16)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_IndexedQkvBackward)->Arg(16)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
