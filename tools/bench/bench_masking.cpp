// Throughput of the MLM data path: mask_row on 128-token rows, batches from MlmBatchLoader over a
// temporary token shard, and reading rows from a mapped shard.
// Run: build/bin/dac_bench_masking
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "dac/text/batch_loader.hpp"
#include "dac/text/mlm_masking.hpp"
#include "dac/text/token_shard.hpp"

namespace {

namespace fs = std::filesystem;
using dac::text::MaskingSpec;

constexpr std::uint32_t kSeqLen = 128;
constexpr std::uint32_t kVocab = 32768;
constexpr std::uint64_t kShardRows = 50000;

MaskingSpec crammed_spec() {
  MaskingSpec spec;
  spec.mask_id = 4;
  spec.vocab_size = kVocab;
  spec.never_random = {0, 1, 2, 3, 4};
  return spec;
}

std::vector<std::int32_t> row_ids(std::uint64_t row) {
  std::vector<std::int32_t> ids(kSeqLen);
  for (std::uint32_t i = 0; i < kSeqLen; ++i) {
    ids[i] = static_cast<std::int32_t>(5 + (row * 7919 + i * 104729) % (kVocab - 5));
  }
  return ids;
}

// A shard of kShardRows rows in a temporary folder, written once, removed at exit.
class TempShard {
 public:
  TempShard()
      : dir_(fs::temp_directory_path() / ("dac-bench-masking-" + std::to_string(getpid()))) {
    fs::create_directories(dir_);
    dac::text::TokenShardWriter writer(path(), kSeqLen, kVocab);
    for (std::uint64_t row = 0; row < kShardRows; ++row) writer.add_row(row_ids(row));
    writer.finish();
  }
  ~TempShard() { fs::remove_all(dir_); }
  fs::path path() const { return dir_ / "bench.toks"; }

 private:
  fs::path dir_;
};

const TempShard& temp_shard() {
  static const TempShard shard;
  return shard;
}

void BM_MaskRow(benchmark::State& state) {
  const MaskingSpec spec = crammed_spec();
  const auto ids = row_ids(0);
  std::vector<std::int32_t> inputs(kSeqLen), labels(kSeqLen);
  std::uint64_t row = 0;
  for (auto _ : state) {
    dac::text::mask_row(ids, spec, 1, 0, row++, inputs, labels);
    benchmark::DoNotOptimize(inputs.data());
    benchmark::DoNotOptimize(labels.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(row));
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(row), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MaskRow);

void BM_LoaderBatches(benchmark::State& state) {
  dac::text::MlmBatchLoaderOptions options;
  options.shards = {temp_shard().path()};
  options.masking = crammed_spec();
  options.batch_size = static_cast<std::size_t>(state.range(0));
  options.order =
      state.range(1) == 0 ? dac::text::RowOrder::kSequential : dac::text::RowOrder::kShuffled;
  dac::text::MlmBatchLoader loader(options);
  std::int64_t batches = 0;
  for (auto _ : state) {
    const dac::text::MlmBatch batch = loader.next();
    benchmark::DoNotOptimize(batch.inputs.data());
    ++batches;
  }
  const auto rows = static_cast<double>(batches) * static_cast<double>(options.batch_size);
  state.SetItemsProcessed(batches);
  state.counters["rows/s"] = benchmark::Counter(rows, benchmark::Counter::kIsRate);
  state.counters["tokens/s"] = benchmark::Counter(rows * kSeqLen, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LoaderBatches)
    ->ArgNames({"batch", "shuffled"})
    ->Args({128, 0})
    ->Args({128, 1})
    ->Args({512, 1})
    ->UseRealTime();

void BM_ShardRowRead(benchmark::State& state) {
  const dac::text::TokenShardReader reader(temp_shard().path());
  std::vector<std::int32_t> ids(kSeqLen);
  std::uint64_t row = 0;
  for (auto _ : state) {
    reader.row(row++ % kShardRows, ids);
    benchmark::DoNotOptimize(ids.data());
  }
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(row), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ShardRowRead);

void BM_ShardOpenWithChecksum(benchmark::State& state) {
  const auto bytes = static_cast<double>(fs::file_size(temp_shard().path()));
  for (auto _ : state) {
    const dac::text::TokenShardReader reader(temp_shard().path());
    benchmark::DoNotOptimize(reader.rows());
  }
  state.SetBytesProcessed(
      static_cast<std::int64_t>(bytes * static_cast<double>(state.iterations())));
}
BENCHMARK(BM_ShardOpenWithChecksum);

}  // namespace

BENCHMARK_MAIN();
