// MLM batch loader: row order across shards and epochs, masks equal to mask_row(seed, step, row),
// determinism whatever the timing, resuming at a step, bounded prefetch, and worker errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <numeric>
#include <set>
#include <thread>
#include <vector>

#include "dac/error.hpp"
#include "dac/text/batch_loader.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using dac::test::contains;
using dac::text::MlmBatch;
using dac::text::MlmBatchLoader;
using dac::text::MlmBatchLoaderOptions;
using dac::text::RowOrder;

constexpr std::uint32_t kSeqLen = 16;
constexpr std::uint32_t kVocab = 1000;

// Global row r holds ids 100 + r + i (i = position), so a row tells its index.
std::vector<std::int32_t> ids_of_row(std::uint64_t row) {
  std::vector<std::int32_t> ids(kSeqLen);
  for (std::uint32_t i = 0; i < kSeqLen; ++i) ids[i] = static_cast<std::int32_t>(100 + row + i);
  return ids;
}

void write_shard(const fs::path& path, std::uint64_t first_row, std::uint64_t rows,
                 std::uint32_t seq_len = kSeqLen) {
  dac::text::TokenShardWriter writer(path, seq_len, kVocab);
  for (std::uint64_t row = first_row; row < first_row + rows; ++row) {
    auto ids = ids_of_row(row);
    ids.resize(seq_len, 7);
    writer.add_row(ids);
  }
  writer.finish();
}

class BatchLoader : public ::testing::Test {
 protected:
  void SetUp() override {
    write_shard(dir_ / "a.toks", 0, 5);
    write_shard(dir_ / "b.toks", 5, 7);
  }

  MlmBatchLoaderOptions options(RowOrder order, std::size_t batch_size) const {
    MlmBatchLoaderOptions result;
    result.shards = {dir_ / "a.toks", dir_ / "b.toks"};
    result.masking.mask_id = 4;
    result.masking.vocab_size = kVocab;
    result.masking.never_random = {0, 1, 2, 3, 4};
    result.batch_size = batch_size;
    result.order = order;
    result.seed = 11;
    return result;
  }

  static std::vector<MlmBatch> take(MlmBatchLoader& loader, int count) {
    std::vector<MlmBatch> batches;
    for (int i = 0; i < count; ++i) batches.push_back(loader.next());
    return batches;
  }

  dac::test::TempDir dir_;
};

bool same_batches(const std::vector<MlmBatch>& a, const std::vector<MlmBatch>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].inputs != b[i].inputs || a[i].labels != b[i].labels || a[i].row_ids != b[i].row_ids ||
        a[i].step != b[i].step) {
      return false;
    }
  }
  return true;
}

// Every row of `batch` is the stored row masked with mask_row(seed, step, row).
void expect_masked_rows(const MlmBatch& batch, const MlmBatchLoaderOptions& options) {
  std::vector<std::int32_t> inputs(kSeqLen), labels(kSeqLen);
  for (std::size_t i = 0; i < batch.row_ids.size(); ++i) {
    dac::text::mask_row(ids_of_row(batch.row_ids[i]), options.masking, options.seed,
                        static_cast<std::uint64_t>(batch.step), batch.row_ids[i], inputs, labels);
    const auto offset = static_cast<std::ptrdiff_t>(i * kSeqLen);
    EXPECT_TRUE(std::equal(inputs.begin(), inputs.end(), batch.inputs.begin() + offset));
    EXPECT_TRUE(std::equal(labels.begin(), labels.end(), batch.labels.begin() + offset));
  }
}

TEST_F(BatchLoader, SequentialOrderCrossesShardsAndWrapsAround) {
  const auto opts = options(RowOrder::kSequential, 5);
  MlmBatchLoader loader(opts);
  EXPECT_EQ(loader.total_rows(), 12u);
  EXPECT_EQ(loader.seq_len(), kSeqLen);
  const auto batches = take(loader, 3);
  EXPECT_EQ(batches[0].row_ids, (std::vector<std::uint64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(batches[1].row_ids, (std::vector<std::uint64_t>{5, 6, 7, 8, 9}));
  EXPECT_EQ(batches[2].row_ids, (std::vector<std::uint64_t>{10, 11, 0, 1, 2}));
  for (std::int64_t k = 0; k < 3; ++k) {
    EXPECT_EQ(batches[k].step, k);
    ASSERT_EQ(batches[k].inputs.size(), 5 * kSeqLen);
    ASSERT_EQ(batches[k].labels.size(), 5 * kSeqLen);
    expect_masked_rows(batches[k], opts);
  }
}

TEST_F(BatchLoader, ShuffledOrderIsAFreshPermutationEachEpoch) {
  const auto opts = options(RowOrder::kShuffled, 4);
  MlmBatchLoader loader(opts);
  std::vector<std::vector<std::uint64_t>> epochs(3);
  for (auto& epoch : epochs) {
    for (const MlmBatch& batch : take(loader, 3)) {
      epoch.insert(epoch.end(), batch.row_ids.begin(), batch.row_ids.end());
      expect_masked_rows(batch, opts);
    }
    std::vector<std::uint64_t> sorted = epoch;
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::uint64_t> all(12);
    std::iota(all.begin(), all.end(), 0);
    EXPECT_EQ(sorted, all);
  }
  EXPECT_NE(epochs[0], epochs[1]);
  EXPECT_NE(epochs[1], epochs[2]);
}

TEST_F(BatchLoader, SameOptionsSameBatchesWhateverTheTiming) {
  for (const RowOrder order : {RowOrder::kSequential, RowOrder::kShuffled}) {
    auto opts = options(order, 3);
    MlmBatchLoader fast(opts);
    opts.prefetch_depth = 1;
    MlmBatchLoader slow(opts);
    std::vector<MlmBatch> slow_batches;
    for (int i = 0; i < 10; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      slow_batches.push_back(slow.next());
    }
    EXPECT_TRUE(same_batches(take(fast, 10), slow_batches));
    opts.seed = 12;
    MlmBatchLoader other_seed(opts);
    EXPECT_FALSE(same_batches(take(other_seed, 10), slow_batches));
  }
}

TEST_F(BatchLoader, ResumingAtAStepGivesTheSameBatches) {
  for (const RowOrder order : {RowOrder::kSequential, RowOrder::kShuffled}) {
    auto opts = options(order, 5);
    MlmBatchLoader from_start(opts);
    const auto all = take(from_start, 9);
    opts.first_step = 4;
    MlmBatchLoader resumed(opts);
    EXPECT_TRUE(same_batches(take(resumed, 5), std::vector<MlmBatch>(all.begin() + 4, all.end())));
  }
}

TEST_F(BatchLoader, PrefetchIsBounded) {
  auto opts = options(RowOrder::kSequential, 2);
  opts.prefetch_depth = 3;
  MlmBatchLoader loader(opts);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (loader.queued() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(loader.queued(), 3u);
  EXPECT_EQ(loader.next().step, 0);
  EXPECT_LE(loader.queued(), 3u);
}

TEST_F(BatchLoader, WorkerErrorsReachTheConsumerAfterEarlierBatches) {
  // Row 9 (row 4 of b.toks) gets an id outside the vocabulary; the checksum check is skipped.
  const fs::path b = dir_ / "b.toks";
  std::string bytes = dac::test::read_file(b);
  bytes[88 + 4 * kSeqLen * 2] = static_cast<char>(0xFF);
  bytes[88 + 4 * kSeqLen * 2 + 1] = static_cast<char>(0xFF);
  dac::test::write_file(b, bytes);
  auto opts = options(RowOrder::kSequential, 3);
  EXPECT_THROW(MlmBatchLoader{opts}, dac::UserError);  // the checksum catches it up front
  opts.checksum = dac::text::ChecksumCheck::kSkip;
  MlmBatchLoader loader(opts);
  EXPECT_EQ(loader.next().step, 0);
  EXPECT_EQ(loader.next().step, 1);
  EXPECT_EQ(loader.next().step, 2);  // rows 6, 7, 8
  const std::string error = dac::test::error_of<dac::UserError>([&] { loader.next(); });
  EXPECT_EQ(error, b.string() + ": row 4 holds an id outside the vocabulary (file corrupt)");
  EXPECT_THROW(loader.next(), dac::UserError);
}

TEST_F(BatchLoader, ConstructorErrors) {
  write_shard(dir_ / "long.toks", 0, 2, 32);
  auto opts = options(RowOrder::kSequential, 2);
  opts.shards.push_back(dir_ / "long.toks");
  const std::string error = dac::test::error_of<dac::UserError>([&] { MlmBatchLoader{opts}; });
  EXPECT_TRUE(contains(error, "long.toks: rows of 32 tokens, but "));
  EXPECT_TRUE(contains(error, "a.toks has rows of 16"));
  opts.shards = {dir_ / "absent.toks"};
  EXPECT_THROW(MlmBatchLoader{opts}, dac::UserError);
  opts = options(RowOrder::kSequential, 0);
  EXPECT_THROW(MlmBatchLoader{opts}, std::invalid_argument);
}

TEST_F(BatchLoader, StopsCleanlyWithAFullQueue) {
  for (int i = 0; i < 20; ++i) {
    MlmBatchLoader loader(options(RowOrder::kShuffled, 1));
    if (i % 2 == 0) loader.next();
  }
}

}  // namespace
