// Checkpoints: a full round trip (model, optimizer, meta data, random state), atomic writes, and
// errors that name the file and the mismatch.
#include <gtest/gtest.h>
#include <torch/torch.h>
#include <unistd.h>

#include <filesystem>

#include "dac/error.hpp"
#include "dac/train/checkpoint.hpp"
#include "support/test_support.hpp"

namespace dac::train {
namespace {

namespace fs = std::filesystem;
using test::contains;

struct Net : torch::nn::Module {
  explicit Net(std::int64_t out = 3) {
    linear = register_module("linear", torch::nn::Linear(4, out));
    norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({out})));
    steps = register_buffer("steps", torch::zeros({1}, torch::kInt64));
  }
  torch::Tensor forward(const torch::Tensor& x) { return norm(linear(x)); }
  torch::nn::Linear linear{nullptr};
  torch::nn::LayerNorm norm{nullptr};
  torch::Tensor steps;
};

void train_step(Net& net, AdamW& optimizer, int seed) {
  torch::manual_seed(seed);
  net.forward(torch::randn({5, 4})).pow(3).sum().backward();
  optimizer.step(0.01);
  optimizer.zero_grad();
}

CheckpointMeta sample_meta() {
  CheckpointMeta meta;
  meta.counters.steps = 12;
  meta.counters.micro_batches = 48;
  meta.counters.sequences = 6144;
  meta.counters.tokens = 786432;
  meta.counters.flops = 1.25e15;
  meta.counters.elapsed_s = 3601.5;
  meta.nonfinite_in_a_row = 1;
  meta.skipped_steps = 2;
  meta.config_toml = "[train]\nlr = 0.001\n";
  meta.encoder_toml = "name = \"crammed_bert\"\n";
  meta.plugins_toml = "[plugins]\ntext = \"0.1.0\"\n";
  meta.vocab_text = "[PAD]\n[UNK]\nthe\n";
  meta.normalizer = "bert_uncased";
  meta.extra_toml = "history = [1.5, 2.5]\n";
  return meta;
}

bool same_parameters(const torch::nn::Module& a, const torch::nn::Module& b) {
  auto other = b.named_parameters();
  for (const auto& item : a.named_parameters())
    if (!torch::equal(item.value(), other[item.key()])) return false;
  auto other_buffers = b.named_buffers();
  for (const auto& item : a.named_buffers())
    if (!torch::equal(item.value(), other_buffers[item.key()])) return false;
  return true;
}

TEST(Checkpoint, RoundTripRestoresModelOptimizerMetaAndRandomState) {
  test::TempDir dir;
  const fs::path path = dir / "run" / "checkpoint.pt";
  torch::manual_seed(1);
  Net net;
  AdamW optimizer(recipe_parameter_groups(net, 0.01), {});
  train_step(net, optimizer, 2);
  train_step(net, optimizer, 3);
  net.steps.fill_(2);

  torch::manual_seed(77);
  torch::rand({3});
  save_checkpoint(path, net, &optimizer, sample_meta());
  const torch::Tensor next_random = torch::rand({6});

  torch::manual_seed(5);
  Net restored;
  AdamW restored_optimizer(recipe_parameter_groups(restored, 0.01), {});
  torch::manual_seed(999);
  const CheckpointMeta meta = load_checkpoint(path, restored, &restored_optimizer);
  EXPECT_TRUE(torch::equal(torch::rand({6}), next_random));
  EXPECT_TRUE(same_parameters(net, restored));
  EXPECT_EQ(restored.steps.item<std::int64_t>(), 2);
  EXPECT_EQ(restored_optimizer.steps_taken(), 2);

  const CheckpointMeta expected = sample_meta();
  EXPECT_EQ(meta.counters.steps, expected.counters.steps);
  EXPECT_EQ(meta.counters.micro_batches, expected.counters.micro_batches);
  EXPECT_EQ(meta.counters.sequences, expected.counters.sequences);
  EXPECT_EQ(meta.counters.tokens, expected.counters.tokens);
  EXPECT_DOUBLE_EQ(meta.counters.flops, expected.counters.flops);
  EXPECT_DOUBLE_EQ(meta.counters.elapsed_s, expected.counters.elapsed_s);
  EXPECT_EQ(meta.nonfinite_in_a_row, 1);
  EXPECT_EQ(meta.skipped_steps, 2);
  EXPECT_EQ(meta.config_toml, expected.config_toml);
  EXPECT_EQ(meta.encoder_toml, expected.encoder_toml);
  EXPECT_EQ(meta.plugins_toml, expected.plugins_toml);
  EXPECT_EQ(meta.vocab_text, expected.vocab_text);
  EXPECT_EQ(meta.normalizer, expected.normalizer);
  EXPECT_EQ(meta.extra_toml, expected.extra_toml);
  EXPECT_EQ(meta.format_version, 1);
  EXPECT_EQ(read_checkpoint_meta(path).vocab_text, expected.vocab_text);

  // Training goes on identically from the restored state.
  train_step(net, optimizer, 4);
  train_step(restored, restored_optimizer, 4);
  EXPECT_TRUE(same_parameters(net, restored));
}

TEST(Checkpoint, LoadsWithoutAnOptimizer) {
  test::TempDir dir;
  Net net;
  save_checkpoint(dir / "model.pt", net, nullptr, sample_meta());
  Net restored;
  load_checkpoint(dir / "model.pt", restored, nullptr);
  EXPECT_TRUE(same_parameters(net, restored));
  AdamW optimizer(recipe_parameter_groups(restored, 0.01), {});
  EXPECT_PRED2(contains, test::error_of<UserError>([&] {
                 load_checkpoint(dir / "model.pt", restored, &optimizer);
               }),
               "no optimizer state");
}

TEST(Checkpoint, WritesAtomically) {
  test::TempDir dir;
  const fs::path path = dir / "checkpoint.pt";
  torch::manual_seed(1);
  Net first;
  save_checkpoint(path, first, nullptr, sample_meta());
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir.path()))
    names.push_back(entry.path().filename().string());
  EXPECT_EQ(names, std::vector<std::string>({"checkpoint.pt"}));

  // A write that fails (here: the temporary file's name is taken by a folder) leaves the old
  // checkpoint in place.
  fs::path blocked = path;
  blocked += ".tmp-" + std::to_string(::getpid());
  fs::create_directories(blocked / "inside");
  Net second;
  {
    torch::NoGradGuard no_grad;
    second.linear->weight.fill_(7);
  }
  const std::string error =
      test::error_of<UserError>([&] { save_checkpoint(path, second, nullptr, sample_meta()); });
  EXPECT_PRED2(contains, error, path.string());
  fs::remove_all(blocked);
  Net restored;
  load_checkpoint(path, restored, nullptr);
  EXPECT_TRUE(same_parameters(first, restored));
}

TEST(Checkpoint, AFailedWriteIntoAnUnwritableFolderKeepsTheOldFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "permissions do not bind root";
  test::TempDir dir;
  const fs::path folder = dir / "checkpoints";
  const fs::path path = folder / "checkpoint.pt";
  Net first;
  save_checkpoint(path, first, nullptr, sample_meta());
  fs::permissions(folder, fs::perms::owner_read | fs::perms::owner_exec);
  Net second;
  const std::string error =
      test::error_of<UserError>([&] { save_checkpoint(path, second, nullptr, sample_meta()); });
  fs::permissions(folder, fs::perms::owner_all);
  EXPECT_PRED2(contains, error, path.string());
  Net restored;
  load_checkpoint(path, restored, nullptr);
  EXPECT_TRUE(same_parameters(first, restored));
}

TEST(Checkpoint, MissingAndCorruptFilesNameThePath) {
  test::TempDir dir;
  Net net;
  const fs::path missing = dir / "missing.pt";
  const std::string missing_error =
      test::error_of<UserError>([&] { load_checkpoint(missing, net, nullptr); });
  EXPECT_PRED2(contains, missing_error, "no checkpoint at");
  EXPECT_PRED2(contains, missing_error, missing.string());

  const fs::path corrupt = dir / "corrupt.pt";
  test::write_file(corrupt, "this is not a zip archive at all");
  const std::string corrupt_error =
      test::error_of<UserError>([&] { read_checkpoint_meta(corrupt); });
  EXPECT_PRED2(contains, corrupt_error, "not a dacrun checkpoint");
  EXPECT_PRED2(contains, corrupt_error, corrupt.string());

  // A torch archive, but not one of dacrun's.
  const fs::path foreign = dir / "foreign.pt";
  torch::serialize::OutputArchive archive;
  archive.write("weight", torch::ones({2}));
  archive.save_to(foreign.string());
  const std::string foreign_error =
      test::error_of<UserError>([&] { load_checkpoint(foreign, net, nullptr); });
  EXPECT_PRED2(contains, foreign_error, "not a dacrun checkpoint");
  EXPECT_PRED2(contains, foreign_error, foreign.string());
}

TEST(Checkpoint, AnotherFormatVersionIsRefused) {
  test::TempDir dir;
  const fs::path path = dir / "future.pt";
  torch::serialize::OutputArchive archive;
  archive.write("format", c10::IValue(std::string("dacrun-checkpoint")));
  archive.write("format_version", c10::IValue(std::int64_t{2}));
  archive.save_to(path.string());
  const std::string error = test::error_of<UserError>([&] { read_checkpoint_meta(path); });
  EXPECT_PRED2(contains, error, "checkpoint format version 2, this dacrun reads 1");
  EXPECT_PRED2(contains, error, path.string());
}

TEST(Checkpoint, AModelOfAnotherShapeIsRefusedByParameterName) {
  test::TempDir dir;
  const fs::path path = dir / "checkpoint.pt";
  Net net(3);
  save_checkpoint(path, net, nullptr, sample_meta());
  Net wider(5);
  const torch::Tensor before = wider.linear->weight.detach().clone();
  const std::string error =
      test::error_of<UserError>([&] { load_checkpoint(path, wider, nullptr); });
  EXPECT_PRED2(contains, error, "'linear.weight'");
  EXPECT_PRED2(contains, error, "[3, 4]");
  EXPECT_PRED2(contains, error, path.string());
  EXPECT_TRUE(torch::equal(wider.linear->weight, before));  // nothing loaded
}

}  // namespace
}  // namespace dac::train
