// MLM batches from token shards, made on a background thread ahead of the training loop: rows in
// stored or seeded-shuffled order, masked with mask_row(seed, step, global row index).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "dac/text/mlm_masking.hpp"
#include "dac/text/token_shard.hpp"

namespace dac::text {

enum class RowOrder {
  kSequential,  // the order rows are stored in, shard after shard
  kShuffled,    // a fresh seeded permutation of all rows every epoch
};

struct MlmBatch {
  std::vector<std::int32_t> inputs;    // batch_size × seq_len, row-major
  std::vector<std::int32_t> labels;    // batch_size × seq_len, kIgnoreLabel where not masked
  std::vector<std::uint64_t> row_ids;  // global row index (shards concatenated in the given order)
  std::int64_t step = 0;
};

struct MlmBatchLoaderOptions {
  std::vector<std::filesystem::path> shards;
  MaskingSpec masking;
  std::size_t batch_size = 128;
  RowOrder order = RowOrder::kSequential;
  std::uint64_t seed = 0;          // masks and shuffles
  std::int64_t first_step = 0;     // the step of the first batch (resuming starts at a later step)
  std::size_t prefetch_depth = 4;  // batches made ahead of the consumer
  ChecksumCheck checksum = ChecksumCheck::kVerify;
};

// Batch k holds rows k·batch_size … (k+1)·batch_size − 1 of the endless sequence of epochs, and
// step first_step + k. The same options give the same batches whatever the timing. Shards are
// opened and checked in the constructor (errors are UserErrors); an error while making batches is
// rethrown by next(), after the batches made before it.
class MlmBatchLoader {
 public:
  explicit MlmBatchLoader(MlmBatchLoaderOptions options);
  ~MlmBatchLoader();
  MlmBatchLoader(const MlmBatchLoader&) = delete;
  MlmBatchLoader& operator=(const MlmBatchLoader&) = delete;

  // The next batch; blocks only while none is ready.
  MlmBatch next();
  // Batches made and not yet taken (at most prefetch_depth).
  std::size_t queued() const;
  std::uint64_t total_rows() const { return total_rows_; }
  std::uint32_t seq_len() const { return seq_len_; }

 private:
  void produce();
  MlmBatch make_batch(std::int64_t step);
  std::uint64_t next_row();
  void start_epoch();
  void read_row(std::uint64_t global_row, std::span<std::int32_t> out) const;

  MlmBatchLoaderOptions options_;
  std::vector<TokenShardReader> shards_;
  std::vector<std::uint64_t> shard_starts_;  // global index of each shard's first row
  std::uint64_t total_rows_ = 0;
  std::uint32_t seq_len_ = 0;

  // Producer state (worker thread only).
  std::vector<std::uint64_t> permutation_;
  std::uint64_t epoch_ = 0;
  std::uint64_t position_in_epoch_ = 0;

  mutable std::mutex mutex_;
  std::condition_variable ready_;  // a batch or an error is queued
  std::condition_variable space_;  // the queue has room, or stopping
  std::deque<MlmBatch> queue_;
  std::exception_ptr error_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace dac::text
