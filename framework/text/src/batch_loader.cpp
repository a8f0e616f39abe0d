// MLM batches from token shards, made by a worker thread into a bounded queue.
#include "dac/text/batch_loader.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

#include "dac/error.hpp"

namespace dac::text {
namespace {

// Counter word 3 of the shuffle streams; masking streams never set its top bit.
constexpr std::uint32_t kShuffleStreamTag = 0x80000000u;

void check_options(const MlmBatchLoaderOptions& options) {
  if (options.shards.empty()) throw std::invalid_argument("MLM batch loader: no shards");
  if (options.batch_size == 0) throw std::invalid_argument("MLM batch loader: batch_size is 0");
  if (options.prefetch_depth == 0) {
    throw std::invalid_argument("MLM batch loader: prefetch_depth is 0");
  }
  if (options.first_step < 0) throw std::invalid_argument("MLM batch loader: negative first_step");
  validate(options.masking);
}

}  // namespace

MlmBatchLoader::MlmBatchLoader(MlmBatchLoaderOptions options) : options_(std::move(options)) {
  check_options(options_);
  for (const auto& path : options_.shards) {
    TokenShardReader& shard = shards_.emplace_back(path, options_.checksum);
    if (shard.seq_len() != shards_.front().seq_len()) {
      throw UserError(path.string() + ": rows of " + std::to_string(shard.seq_len()) +
                      " tokens, but " + shards_.front().path().string() + " has rows of " +
                      std::to_string(shards_.front().seq_len()));
    }
    if (shard.vocab_size() > static_cast<std::uint32_t>(options_.masking.vocab_size)) {
      throw UserError(path.string() + ": vocabulary of " + std::to_string(shard.vocab_size()) +
                      " ids, larger than the masking vocabulary of " +
                      std::to_string(options_.masking.vocab_size));
    }
    shard_starts_.push_back(total_rows_);
    total_rows_ += shard.rows();
  }
  seq_len_ = shards_.front().seq_len();
  if (total_rows_ == 0) throw UserError("MLM batch loader: the shards hold no rows");
  if (options_.order == RowOrder::kShuffled && total_rows_ > UINT32_MAX) {
    throw UserError("MLM batch loader: shuffled order supports at most 2^32 rows");
  }
  worker_ = std::thread([this] { produce(); });
}

MlmBatchLoader::~MlmBatchLoader() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  space_.notify_all();
  worker_.join();
}

MlmBatch MlmBatchLoader::next() {
  std::unique_lock lock(mutex_);
  ready_.wait(lock, [this] { return !queue_.empty() || error_; });
  if (queue_.empty()) std::rethrow_exception(error_);
  MlmBatch batch = std::move(queue_.front());
  queue_.pop_front();
  lock.unlock();
  space_.notify_one();
  return batch;
}

std::size_t MlmBatchLoader::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void MlmBatchLoader::produce() {
  try {
    const std::uint64_t first_row =
        static_cast<std::uint64_t>(options_.first_step) * options_.batch_size;
    epoch_ = first_row / total_rows_;
    position_in_epoch_ = first_row % total_rows_;
    start_epoch();
    for (std::int64_t step = options_.first_step;; ++step) {
      MlmBatch batch = make_batch(step);
      std::unique_lock lock(mutex_);
      space_.wait(lock, [this] { return stopping_ || queue_.size() < options_.prefetch_depth; });
      if (stopping_) return;
      queue_.push_back(std::move(batch));
      lock.unlock();
      ready_.notify_one();
    }
  } catch (...) {
    {
      std::lock_guard lock(mutex_);
      error_ = std::current_exception();
    }
    ready_.notify_all();
  }
}

MlmBatch MlmBatchLoader::make_batch(std::int64_t step) {
  const std::size_t rows = options_.batch_size;
  MlmBatch batch;
  batch.step = step;
  batch.inputs.resize(rows * seq_len_);
  batch.labels.resize(rows * seq_len_);
  batch.row_ids.resize(rows);
  std::vector<std::int32_t> ids(seq_len_);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::uint64_t row = next_row();
    read_row(row, ids);
    batch.row_ids[i] = row;
    const std::span inputs = std::span(batch.inputs).subspan(i * seq_len_, seq_len_);
    const std::span labels = std::span(batch.labels).subspan(i * seq_len_, seq_len_);
    mask_row(ids, options_.masking, options_.seed, static_cast<std::uint64_t>(step), row, inputs,
             labels);
  }
  return batch;
}

std::uint64_t MlmBatchLoader::next_row() {
  if (position_in_epoch_ == total_rows_) {
    ++epoch_;
    position_in_epoch_ = 0;
    start_epoch();
  }
  const std::uint64_t position = position_in_epoch_++;
  return options_.order == RowOrder::kShuffled ? permutation_[position] : position;
}

void MlmBatchLoader::start_epoch() {
  if (options_.order != RowOrder::kShuffled) return;
  permutation_.resize(total_rows_);
  std::iota(permutation_.begin(), permutation_.end(), std::uint64_t{0});
  PhiloxStream stream(options_.seed, static_cast<std::uint32_t>(epoch_),
                      static_cast<std::uint32_t>(epoch_ >> 32), kShuffleStreamTag);
  shuffle_with(stream, permutation_);
}

void MlmBatchLoader::read_row(std::uint64_t global_row, std::span<std::int32_t> out) const {
  const auto after = std::upper_bound(shard_starts_.begin(), shard_starts_.end(), global_row);
  const auto shard = static_cast<std::size_t>(after - shard_starts_.begin()) - 1;
  shards_[shard].row(global_row - shard_starts_[shard], out);
}

}  // namespace dac::text
