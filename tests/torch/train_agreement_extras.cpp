// Tests of the agreement extras of pretraining batches (a batch's rows' chunks come from the
// sidecars beside the token shards, per type, as flat indices in the batch's row order) and of
// stage 2 taking stage 1's submodels.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <vector>

#include "dac/error.hpp"
#include "dac/model/agreement_chunks.hpp"
#include "dac/model/chunk_submodels.hpp"
#include "dac/model/dacbert.hpp"
#include "dac/text/annotation_sidecar.hpp"
#include "dac/text/token_shard.hpp"
#include "dac/train/agreement_extras.hpp"
#include "dac/train/checkpoint.hpp"
#include "support/test_support.hpp"

namespace dac::train {
namespace {

namespace fs = std::filesystem;

// A shard of `rows` rows of 4 tokens, with the sidecar beside it: row r has a "sv" chunk over
// positions {0, r % 4} (r > 0) and a "det" chunk over {1, 2, 3}.
fs::path write_shard(const fs::path& dir, const std::string& name, int rows) {
  const fs::path shard = dir / (name + ".tokens");
  text::TokenShardWriter tokens(shard, 4, 50);
  text::AnnotationSidecarWriter sidecar(dir / (name + ".chunks"), 4, {"det", "sv"});
  for (int r = 0; r < rows; ++r) {
    const std::vector<std::int32_t> ids = {5, 6, 7, 8};
    tokens.add_row(ids, {});
    std::vector<text::Chunk> chunks = {
        {.type = 0, .controller = 3, .target = 1, .members = {1, 2, 3}}};
    if (r % 4 > 0)
      chunks.push_back({.type = 1,
                        .controller = 0,
                        .target = static_cast<std::uint16_t>(r % 4),
                        .members = {0, static_cast<std::uint16_t>(r % 4)}});
    sidecar.add_row(chunks);
  }
  tokens.finish();
  sidecar.finish();
  return shard;
}

TEST(AgreementExtras, ABatchGetsItsRowsChunksPerTypeAsFlatIndices) {
  test::TempDir dir;
  const std::vector<fs::path> shards = {write_shard(dir.path(), "train-00000", 2),
                                        write_shard(dir.path(), "train-00001", 3)};
  const MlmBatchExtras extras = agreement_batch_extras(shards, {"sv", "det"});
  text::MlmBatch made;
  made.row_ids = {3, 0};  // the second shard's row 1, then the first shard's row 0
  Batch batch;
  extras(made, batch);
  EXPECT_TRUE(torch::equal(batch.extras.at(model::agreement_extra_name("sv")),
                           torch::tensor({{0, 1}}, torch::kInt64)));
  EXPECT_TRUE(torch::equal(batch.extras.at(model::agreement_extra_name("det")),
                           torch::tensor({{1, 2, 3}, {5, 6, 7}}, torch::kInt64)));
}

TEST(AgreementExtras, AMissingSidecarOrTypeIsNamed) {
  test::TempDir dir;
  const fs::path shard = write_shard(dir.path(), "train-00000", 1);
  try {
    agreement_batch_extras({shard}, {"adjective_noun"});
    FAIL() << "expected a UserError";
  } catch (const UserError& error) {
    EXPECT_PRED2(test::contains, error.what(), "train-00000.chunks");
    EXPECT_PRED2(test::contains, error.what(), "it has: det, sv");
  }
  fs::remove(dir / "train-00000.chunks");
  EXPECT_THROW(agreement_batch_extras({shard}, {"det"}), UserError);
}

// A dacbert model of the given types with freshly initialised chunk transformers.
std::shared_ptr<model::DacBert> small_dacbert(const std::vector<std::string>& types,
                                              std::uint64_t seed) {
  torch::manual_seed(seed);
  model::EncoderSize size;
  size.vocab_size = 30;
  size.hidden = 16;
  size.layers = 1;
  size.heads = 2;
  size.intermediate = 32;
  size.max_positions = 8;
  model::EncoderSize submodel_size = size;
  submodel_size.hidden = 8;
  std::vector<std::shared_ptr<Submodel>> submodels;
  for (std::size_t t = 0; t < types.size(); ++t)
    submodels.push_back(std::make_shared<model::ChunkTransformer>(submodel_size));
  model::AgreementOptions options;
  options.types = types;
  return std::make_shared<model::DacBert>(size, true, options, submodels);
}

TEST(AgreementExtras, StageTwoTakesTheSubmodelsOfStageOne) {
  test::TempDir dir;
  // Stage 1 writes its submodels under the names the encoder gives them.
  const auto trained = small_dacbert({"sv", "det"}, 1);
  torch::nn::Module stage_one;
  stage_one.register_module("submodel_sv", trained->submodel(0));
  stage_one.register_module("submodel_det", trained->submodel(1));
  save_checkpoint(dir / "submodels.ckpt", stage_one, nullptr, {});

  const auto fresh = small_dacbert({"det"}, 2);
  const torch::Tensor main_before = fresh->token_embedding->weight.clone();
  load_stage_one_submodels(dir / "submodels.ckpt", *fresh, {"det"});
  const auto loaded = fresh->submodel(0)->named_parameters();
  for (const auto& item : trained->submodel(1)->named_parameters())
    EXPECT_TRUE(torch::equal(item.value(), loaded[item.key()])) << item.key();
  EXPECT_TRUE(torch::equal(fresh->token_embedding->weight, main_before));

  const auto other = small_dacbert({"adjective_noun"}, 3);
  EXPECT_THROW(load_stage_one_submodels(dir / "submodels.ckpt", *other, {"adjective_noun"}),
               UserError);
  EXPECT_THROW(load_stage_one_submodels(dir / "submodels.ckpt", *other, {"det"}), UserError);
}

}  // namespace
}  // namespace dac::train
