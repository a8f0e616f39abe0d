// The attention study: every block's attention probabilities, and the mean attention from
// agreement targets to their controllers per type, layer and head over prepared rows.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "dac/model/crammed_bert.hpp"
#include "dac/text/annotation_sidecar.hpp"
#include "dac/text/batch_chunks.hpp"
#include "dac/text/token_shard.hpp"
#include "dac/train/attention_study.hpp"
#include "support/test_support.hpp"

namespace dac::train {
namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t kSeq = 8;

std::shared_ptr<model::CrammedBert> tiny_model() {
  torch::manual_seed(3);
  model::EncoderSize size;
  size.vocab_size = 30;
  size.hidden = 16;
  size.layers = 2;
  size.heads = 2;
  size.intermediate = 32;
  size.max_positions = kSeq;
  return std::make_shared<model::CrammedBert>(size);
}

// Three rows; "pair" chunks: row 0 target 4 -> controller 1, row 2 target 2 -> controller 6 (and
// one chunk whose anchors coincide, which the study skips); "other": row 1 target 0 -> 3.
fs::path write_rows(const fs::path& dir) {
  const fs::path shard = dir / "validation-00000.tokens";
  text::TokenShardWriter tokens(shard, kSeq, 30);
  text::AnnotationSidecarWriter chunks(text::sidecar_of_shard(shard), kSeq, {"pair", "other"});
  for (std::int32_t r = 0; r < 3; ++r) {
    std::vector<std::int32_t> ids(kSeq);
    for (std::uint32_t i = 0; i < kSeq; ++i) ids[i] = 5 + static_cast<std::int32_t>(i * 3 + r) % 25;
    tokens.add_row(ids);
  }
  const std::vector<text::Chunk> row0 = {
      {.type = 0, .controller = 1, .target = 4, .members = {1, 4}}};
  const std::vector<text::Chunk> row1 = {
      {.type = 1, .controller = 3, .target = 0, .members = {0, 3}}};
  const std::vector<text::Chunk> row2 = {
      {.type = 0, .controller = 6, .target = 2, .members = {2, 6}},
      {.type = 0, .controller = 5, .target = 5, .members = {5}}};
  chunks.add_row(row0);
  chunks.add_row(row1);
  chunks.add_row(row2);
  tokens.finish();
  chunks.finish();
  return shard;
}

TEST(AttentionStudy, AttentionMapsAreDistributionsOverTheKeys) {
  const auto model = tiny_model();
  model->eval();
  Batch batch;
  batch.input_ids = torch::randint(5, 30, {2, kSeq}, torch::kInt64);
  batch.attention_mask = torch::ones({2, kSeq}, torch::kBool);
  batch.attention_mask[1][7] = false;
  const std::vector<torch::Tensor> maps = model->attention_maps(batch);
  ASSERT_EQ(maps.size(), 2u);
  EXPECT_EQ(maps[0].sizes(), torch::IntArrayRef({2, 2, kSeq, kSeq}));
  EXPECT_TRUE(torch::allclose(maps[1].sum(-1), torch::ones({2, 2, kSeq})));
  EXPECT_EQ(maps[1][1].select(-1, 7).abs().sum().item<double>(), 0) << "a padded key gets nothing";
}

TEST(AttentionStudy, MeanAttentionFromTargetToControllerPerTypeLayerAndHead) {
  test::TempDir dir;
  const fs::path shard = write_rows(dir.path());
  const auto model = tiny_model();
  const Compute cpu = resolve_compute({.device = "cpu", .precision = "fp32", .threads = 1});
  const AttentionStudy study =
      study_attention_to_controllers(*model, {shard}, {"pair", "other"}, 10, 2, cpu);
  EXPECT_EQ(study.rows, 3);
  EXPECT_EQ(study.chunks, (std::vector<std::int64_t>{2, 1}));
  EXPECT_DOUBLE_EQ(study.uniform_share, 1.0 / kSeq);

  // By hand: the maps of all three rows at once.
  text::TokenShardReader reader(shard);
  std::vector<std::int64_t> ids;
  for (std::uint64_t r = 0; r < 3; ++r)
    for (std::int32_t id : reader.row(r)) ids.push_back(id);
  Batch batch;
  batch.input_ids = torch::tensor(ids, torch::kInt64).view({3, kSeq});
  model->eval();
  torch::NoGradGuard no_grad;
  const std::vector<torch::Tensor> maps = model->attention_maps(batch);
  for (std::int64_t l = 0; l < 2; ++l)
    for (std::int64_t h = 0; h < 2; ++h) {
      const double pair =
          (maps[l][0][h][4][1].item<double>() + maps[l][2][h][2][6].item<double>()) / 2;
      EXPECT_NEAR(study.share[0][l][h], pair, 1e-6) << "layer " << l << " head " << h;
      EXPECT_NEAR(study.share[1][l][h], maps[l][1][h][0][3].item<double>(), 1e-6);
    }
  const ConfigNode summary = study.summary();
  EXPECT_NEAR(summary.find("attention_pair_max")->as_float(), study.max_share(0), 1e-12);
  EXPECT_GE(study.max_share(0), study.mean_share(0));
  EXPECT_PRED2(test::contains, study.markdown(), "### pair (2 chunks)");
}

}  // namespace
}  // namespace dac::train
