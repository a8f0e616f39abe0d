// MLM batches as tensors: ids widened to int64, masked positions and their labels gathered.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <stdexcept>

#include "dac/train/mlm_batch.hpp"

namespace dac::train {
namespace {

constexpr std::int32_t kIgnore = text::kIgnoreLabel;

text::MlmBatch sample_batch() {
  text::MlmBatch batch;
  batch.inputs = {5, 4, 9, 7, 3, 4, 2, 8};
  batch.labels = {kIgnore, 6, kIgnore, kIgnore, 1, kIgnore, 0, kIgnore};
  return batch;
}

TEST(MlmBatch, ConvertsIdsAndGathersMaskedPositions) {
  const Batch batch = to_batch(sample_batch(), 4);
  EXPECT_EQ(batch.input_ids.scalar_type(), torch::kInt64);
  EXPECT_EQ(batch.input_ids.sizes(), torch::IntArrayRef({2, 4}));
  EXPECT_TRUE(torch::equal(batch.input_ids,
                           torch::tensor({5, 4, 9, 7, 3, 4, 2, 8}, torch::kInt64).view({2, 4})));
  EXPECT_TRUE(torch::equal(batch.mlm_positions, torch::tensor({1, 4, 6}, torch::kInt64)));
  EXPECT_TRUE(torch::equal(batch.mlm_labels, torch::tensor({6, 1, 0}, torch::kInt64)));
  EXPECT_FALSE(batch.attention_mask.defined());
  EXPECT_EQ(batch.rows(), 2);
  EXPECT_EQ(batch.seq_len(), 4);
}

TEST(MlmBatch, NothingMaskedGivesEmptyPositions) {
  text::MlmBatch batch;
  batch.inputs = {1, 2, 3};
  batch.labels = {kIgnore, kIgnore, kIgnore};
  const Batch out = to_batch(batch, 3);
  EXPECT_EQ(out.mlm_positions.numel(), 0);
  EXPECT_EQ(out.mlm_labels.numel(), 0);
}

TEST(MlmBatch, PinningIsIgnoredWithoutCuda) {
  const Batch batch = to_batch(sample_batch(), 4, /*pin=*/true);
  EXPECT_EQ(batch.input_ids.is_pinned(), torch::cuda::is_available());
  EXPECT_TRUE(torch::equal(batch.mlm_positions, torch::tensor({1, 4, 6}, torch::kInt64)));
}

TEST(MlmBatch, SizesThatDoNotSplitIntoRowsAreRefused) {
  EXPECT_THROW(to_batch(sample_batch(), 3), std::invalid_argument);
  text::MlmBatch uneven = sample_batch();
  uneven.labels.pop_back();
  EXPECT_THROW(to_batch(uneven, 4), std::invalid_argument);
}

}  // namespace
}  // namespace dac::train
