// Tests of the Crammed BERT encoder: the recipe's sizes and init, a hand-computed forward pass and
// loss with a finite-difference gradient check, the extras seam, padding masks, dropout, FLOPs.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "dac/error.hpp"
#include "dac/model/crammed_bert.hpp"

namespace dac::model {
namespace {

EncoderSize small_size() {
  EncoderSize size;
  size.vocab_size = 50;
  size.hidden = 16;
  size.layers = 2;
  size.heads = 2;
  size.intermediate = 24;
  size.max_positions = 12;
  return size;
}

std::shared_ptr<CrammedBert> make_model(const EncoderSize& size, bool sparse = true,
                                        std::uint64_t seed = 7) {
  torch::manual_seed(seed);
  return std::make_shared<CrammedBert>(size, sparse);
}

Batch random_batch(const EncoderSize& size, std::int64_t rows, std::int64_t seq,
                   std::uint64_t seed = 3) {
  torch::manual_seed(seed);
  Batch batch;
  batch.input_ids = torch::randint(1, size.vocab_size, {rows, seq}, torch::kLong);
  const torch::Tensor positions =
      std::get<0>(torch::randperm(rows * seq).narrow(0, 0, rows * seq / 4 + 1).sort());
  batch.mlm_positions = positions;
  batch.mlm_labels = batch.input_ids.flatten().index_select(0, positions);
  return batch;
}

// --- the recipe's default model ------------------------------------------------------------

TEST(CrammedBertDefault, HasTheRecipesSizesInitAndFlops) {
  torch::manual_seed(0);
  auto model = std::make_shared<CrammedBert>(EncoderSize{});
  const std::int64_t V = 32768, H = 768, L = 16;
  const std::int64_t expected =
      V * H + 1 + 2 * H + L * (2 * 2 * H + H * 3 * H + H * H + H * 3072 + 1536 * H) + 2 * H;
  EXPECT_EQ(expected, 119589889);
  EXPECT_EQ(model->parameter_count(), expected);
  EXPECT_DOUBLE_EQ(std::round(static_cast<double>(model->parameter_count()) / 1e5) / 10, 119.6);

  auto parameters = model->named_parameters();
  EXPECT_EQ(parameters["blocks.0.qkv.weight"].sizes(), torch::IntArrayRef({2304, 768}));
  EXPECT_EQ(parameters["blocks.15.attention_out.weight"].sizes(), torch::IntArrayRef({768, 768}));
  EXPECT_EQ(parameters["blocks.3.ffn_in.weight"].sizes(), torch::IntArrayRef({3072, 768}));
  EXPECT_EQ(parameters["blocks.3.ffn_out.weight"].sizes(), torch::IntArrayRef({768, 1536}));
  EXPECT_EQ(parameters["token_embedding.weight"].sizes(), torch::IntArrayRef({32768, 768}));
  EXPECT_EQ(parameters["position_scale"].dim(), 0);
  EXPECT_TRUE(parameters.contains("embedding_norm.weight"));
  EXPECT_TRUE(parameters.contains("final_norm.bias"));
  EXPECT_TRUE(parameters.contains("blocks.0.norm1.weight"));
  EXPECT_TRUE(parameters.contains("blocks.0.norm2.bias"));
  EXPECT_EQ(model->named_buffers()["position_table"].sizes(), torch::IntArrayRef({128, 768}));
  EXPECT_EQ(parameters.size(), 2u + 2u + 16u * 8u + 2u);

  int linears = 0;
  for (const auto& module : model->modules(/*include_self=*/false)) {
    if (const auto* linear = module->as<torch::nn::LinearImpl>()) {
      ++linears;
      EXPECT_FALSE(linear->bias.defined());
      EXPECT_NEAR(linear->weight.std().item<double>(), 0.02, 0.001);
    }
    if (const auto* norm = module->as<torch::nn::LayerNormImpl>()) {
      EXPECT_TRUE(torch::equal(norm->weight, torch::ones({768})));
      EXPECT_TRUE(torch::equal(norm->bias, torch::zeros({768})));
      EXPECT_DOUBLE_EQ(norm->options.eps(), 1e-12);
    }
  }
  EXPECT_EQ(linears, 4 * 16);

  const torch::Tensor embedding = model->token_embedding->weight;
  EXPECT_TRUE(torch::equal(embedding[0], torch::zeros({768})));
  EXPECT_NEAR(embedding.narrow(0, 1, 4096).std().item<double>(), 0.02, 0.0005);
  EXPECT_FLOAT_EQ(model->position_scale.item<float>(), static_cast<float>(1.0 / std::sqrt(768.0)));

  const torch::Tensor table = model->position_table;
  for (std::int64_t p : {0, 1, 5, 127}) {
    for (std::int64_t i : {0, 1, 10, 383}) {
      const double angle = p * std::pow(10000.0, -2.0 * i / 768.0);
      EXPECT_NEAR(table[p][2 * i].item<double>(), std::sin(angle), 1e-5);
      EXPECT_NEAR(table[p][2 * i + 1].item<double>(), std::cos(angle), 1e-5);
    }
  }

  // ref_crammed.py: 6 * (n_params - emb) + 6 * emb * 0.25 + 6 * layers * hidden * 2 * T.
  const double emb = static_cast<double>(V * H);
  const double reference =
      6 * static_cast<double>(expected - V * H) + 6 * emb * 0.25 + 6.0 * L * H * 2 * 128;
  EXPECT_DOUBLE_EQ(model->train_flops_per_token(128, 0.25), reference);

  const ConfigNode description = model->describe();
  EXPECT_EQ(description.find("name")->as_string(), "crammed_bert");
  EXPECT_TRUE(description.find("sparse_prediction")->as_bool());
  EXPECT_EQ(description.find("parameters")->as_int(), expected);
  EXPECT_EQ(description.find("hidden")->as_int(), 768);
  EXPECT_EQ(description.find("layers")->as_int(), 16);
  EXPECT_EQ(description.find("vocab_size")->as_int(), 32768);
  EXPECT_EQ(description.find("max_positions")->as_int(), 128);
}

TEST(CrammedBert, DenseFlopsCountTheWholeDecoder) {
  auto sparse = make_model(small_size(), true);
  auto dense = make_model(small_size(), false);
  const double decoder = 6.0 * 50 * 16;
  EXPECT_DOUBLE_EQ(dense->train_flops_per_token(12, 0.25) - sparse->train_flops_per_token(12, 0.25),
                   decoder * 0.75);
  EXPECT_FALSE(dense->describe().find("sparse_prediction")->as_bool());
}

// --- a hand-computed forward pass ----------------------------------------------------------

// Deterministic weights of order one, so that every part of the computation matters.
void set_fixed_weights(CrammedBert& model) {
  torch::NoGradGuard no_grad;
  double offset = 0.3;
  for (auto& item : model.named_parameters()) {
    torch::Tensor& p = item.value();
    const torch::Tensor wave =
        torch::sin(torch::arange(p.numel(), torch::kDouble) * 0.73 + offset).view(p.sizes());
    const std::string& name = item.key();
    if (name == "position_scale")
      p.fill_(0.7);
    else if (name.find("norm") != std::string::npos && name.ends_with(".weight"))
      p.copy_(1.0 + 0.2 * wave);
    else if (name.ends_with(".bias"))
      p.copy_(0.1 * wave);
    else
      p.copy_(0.6 * wave);
    offset += 1.1;
  }
}

torch::Tensor hand_layer_norm(const torch::Tensor& x, const torch::Tensor& gamma,
                              const torch::Tensor& beta, double eps) {
  const torch::Tensor mean = x.mean(-1, true);
  const torch::Tensor variance = (x - mean).pow(2).mean(-1, true);
  return (x - mean) / torch::sqrt(variance + eps) * gamma + beta;
}

torch::Tensor hand_gelu(const torch::Tensor& x) {
  return 0.5 * x * (1.0 + torch::erf(x / std::sqrt(2.0)));
}

// The Crammed BERT forward pass written out from the recipe for one-block models, with explicit
// loops for the attention.
torch::Tensor hand_hidden_states(CrammedBert& model, const torch::Tensor& ids) {
  const EncoderSize& s = model.size();
  auto w = model.named_parameters();
  const std::int64_t B = ids.size(0), T = ids.size(1), H = s.hidden, heads = s.heads;
  const std::int64_t d = H / heads;

  torch::Tensor table = torch::zeros({T, H}, torch::kDouble);
  for (std::int64_t p = 0; p < T; ++p)
    for (std::int64_t i = 0; 2 * i < H; ++i) {
      const double angle = p / std::pow(10000.0, 2.0 * i / H);
      table[p][2 * i] = std::sin(angle);
      if (2 * i + 1 < H) table[p][2 * i + 1] = std::cos(angle);
    }
  const torch::Tensor E = w["token_embedding.weight"];
  torch::Tensor x = E.index_select(0, ids.flatten()).view({B, T, H}) + w["position_scale"] * table;
  x = hand_layer_norm(x, w["embedding_norm.weight"], w["embedding_norm.bias"], s.norm_eps);

  const torch::Tensor h =
      hand_layer_norm(x, w["blocks.0.norm1.weight"], w["blocks.0.norm1.bias"], s.norm_eps);
  const torch::Tensor qkv = torch::matmul(h, w["blocks.0.qkv.weight"].t());  // [B, T, 3H]
  torch::Tensor attended = torch::zeros({B, T, H}, torch::kDouble);
  auto a = qkv.accessor<double, 3>();
  for (std::int64_t b = 0; b < B; ++b)
    for (std::int64_t n = 0; n < heads; ++n)
      for (std::int64_t i = 0; i < T; ++i) {
        std::vector<double> score(T);
        double top = -1e300;
        for (std::int64_t j = 0; j < T; ++j) {
          double dot = 0;
          for (std::int64_t e = 0; e < d; ++e) dot += a[b][i][n * d + e] * a[b][j][H + n * d + e];
          score[j] = dot / std::sqrt(static_cast<double>(d));
          top = std::max(top, score[j]);
        }
        double total = 0;
        for (double& v : score) total += (v = std::exp(v - top));
        for (std::int64_t e = 0; e < d; ++e) {
          double sum = 0;
          for (std::int64_t j = 0; j < T; ++j) sum += score[j] / total * a[b][j][2 * H + n * d + e];
          attended[b][i][n * d + e] = sum;
        }
      }
  x = x + torch::matmul(attended, w["blocks.0.attention_out.weight"].t());

  const torch::Tensor u = torch::matmul(
      hand_layer_norm(x, w["blocks.0.norm2.weight"], w["blocks.0.norm2.bias"], s.norm_eps),
      w["blocks.0.ffn_in.weight"].t());
  const std::int64_t half = s.intermediate / 2;
  const torch::Tensor glu = hand_gelu(u.narrow(2, half, half)) * u.narrow(2, 0, half);
  x = x + torch::matmul(glu, w["blocks.0.ffn_out.weight"].t());
  return hand_layer_norm(x, w["final_norm.weight"], w["final_norm.bias"], s.norm_eps);
}

double hand_loss(CrammedBert& model, const torch::Tensor& hidden, const torch::Tensor& positions,
                 const torch::Tensor& labels) {
  const torch::Tensor E = model.named_parameters()["token_embedding.weight"];
  const torch::Tensor flat = hidden.flatten(0, 1);
  double total = 0;
  for (std::int64_t n = 0; n < positions.size(0); ++n) {
    const torch::Tensor logits = torch::matmul(E, flat[positions[n].item<std::int64_t>()]);
    const double top = logits.max().item<double>();
    const double log_sum = top + std::log((logits - top).exp().sum().item<double>());
    total += log_sum - logits[labels[n].item<std::int64_t>()].item<double>();
  }
  return total / static_cast<double>(positions.size(0));
}

EncoderSize tiny_size() {
  EncoderSize size;
  size.vocab_size = 7;
  size.hidden = 4;
  size.layers = 1;
  size.heads = 2;
  size.intermediate = 8;
  size.max_positions = 3;
  return size;
}

Batch tiny_batch() {
  Batch batch;
  batch.input_ids = torch::tensor({3, 0, 6, 1, 5, 2}, torch::kLong).view({2, 3});
  batch.mlm_positions = torch::tensor({1, 2, 4}, torch::kLong);
  batch.mlm_labels = torch::tensor({4, 6, 0}, torch::kLong);
  return batch;
}

TEST(CrammedBert, GoldenForwardLossAndGradient) {
  auto model = make_model(tiny_size());
  model->to(torch::kDouble);
  set_fixed_weights(*model);
  model->eval();
  const Batch batch = tiny_batch();

  const torch::Tensor hidden = model->hidden_states(batch);
  torch::Tensor expected;
  double expected_loss = 0;
  {
    torch::NoGradGuard no_grad;
    expected = hand_hidden_states(*model, batch.input_ids);
    expected_loss = hand_loss(*model, expected, batch.mlm_positions, batch.mlm_labels);
  }
  ASSERT_EQ(hidden.sizes(), torch::IntArrayRef({2, 3, 4}));
  EXPECT_LT((hidden - expected).abs().max().item<double>(), 1e-5) << hidden << expected;

  const torch::Tensor loss = model->mlm_loss(batch);
  EXPECT_NEAR(loss.item<double>(), expected_loss, 1e-5);

  loss.backward();
  struct Probe {
    std::string name;
    std::vector<std::int64_t> index;
  };
  const std::vector<Probe> probes = {{"blocks.0.ffn_in.weight", {5, 2}},
                                     {"blocks.0.qkv.weight", {6, 1}},
                                     {"blocks.0.ffn_out.weight", {3, 0}},
                                     {"token_embedding.weight", {4, 3}},
                                     {"position_scale", {}},
                                     {"embedding_norm.weight", {2}}};
  auto parameters = model->named_parameters();
  for (const Probe& probe : probes) {
    torch::Tensor p = parameters[probe.name];
    ASSERT_TRUE(p.grad().defined()) << probe.name;
    torch::Tensor entry = p;
    torch::Tensor gradient = p.grad();
    for (std::int64_t i : probe.index) {
      entry = entry[i];
      gradient = gradient[i];
    }
    const double analytic = gradient.item<double>();
    const double step = 1e-6;
    const double original = entry.item<double>();
    torch::NoGradGuard no_grad;
    entry.fill_(original + step);
    const double up = model->mlm_loss(batch).item<double>();
    entry.fill_(original - step);
    const double down = model->mlm_loss(batch).item<double>();
    entry.fill_(original);
    const double numeric = (up - down) / (2 * step);
    EXPECT_NEAR(analytic, numeric, 1e-6 * std::max(1.0, std::abs(numeric))) << probe.name;
    EXPECT_GT(std::abs(numeric), 1e-6) << probe.name << " does not affect the loss";
  }
}

TEST(CrammedBert, RejectsRowsLongerThanMaxPositions) {
  auto model = make_model(tiny_size());
  Batch batch;
  batch.input_ids = torch::ones({1, 4}, torch::kLong);
  try {
    model->hidden_states(batch);
    FAIL() << "no error";
  } catch (const UserError& error) {
    EXPECT_NE(std::string(error.what()).find("max_positions (3)"), std::string::npos)
        << error.what();
  }
  batch.input_ids = torch::ones({1, 2}, torch::kLong);
  EXPECT_EQ(model->hidden_states(batch).sizes(), torch::IntArrayRef({1, 2, 4}));
}

TEST(CrammedBert, SparseAndDenseLossAgree) {
  auto sparse = make_model(small_size(), true);
  auto dense = make_model(small_size(), false);
  sparse->eval();
  dense->eval();
  const Batch batch = random_batch(small_size(), 3, 10);
  const double a = sparse->mlm_loss(batch).item<double>();
  const double b = dense->mlm_loss(batch).item<double>();
  EXPECT_NEAR(a, b, 1e-6);
  EXPECT_GT(a, 0.0);
}

// --- the extras seam -----------------------------------------------------------------------

class FeatureBert : public CrammedBert {
 public:
  using CrammedBert::CrammedBert;

 protected:
  torch::Tensor combine_extras(torch::Tensor embeddings, const Batch& batch) override {
    return embeddings + batch.extras.at("test/feature");
  }
};

TEST(CrammedBert, ExtrasReachOnlyVariantsThatCombineThem) {
  const EncoderSize size = small_size();
  auto plain = make_model(size);
  torch::manual_seed(7);
  auto variant = std::make_shared<FeatureBert>(size);
  plain->eval();
  variant->eval();

  Batch batch = random_batch(size, 2, 8);
  const torch::Tensor without = plain->hidden_states(batch);
  batch.extras["test/feature"] = torch::randn({2, 8, size.hidden});
  EXPECT_TRUE(torch::equal(plain->hidden_states(batch), without));
  EXPECT_FALSE(torch::allclose(variant->hidden_states(batch), without, 1e-3, 1e-3));

  batch.extras["test/feature"] = torch::zeros({2, 8, size.hidden});
  EXPECT_TRUE(torch::equal(variant->hidden_states(batch), without));
}

// --- padding and dropout -------------------------------------------------------------------

TEST(CrammedBert, PaddingDoesNotChangeRealPositions) {
  const EncoderSize size = small_size();
  auto model = make_model(size);
  model->eval();
  Batch padded = random_batch(size, 2, 9);
  padded.attention_mask = torch::ones({2, 9}, torch::kBool);
  padded.attention_mask[1].narrow(0, 6, 3).fill_(false);
  const torch::Tensor hidden = model->hidden_states(padded);

  Batch alone;
  alone.input_ids = padded.input_ids[1].narrow(0, 0, 6).unsqueeze(0);
  const torch::Tensor expected = model->hidden_states(alone)[0];
  EXPECT_TRUE(torch::allclose(hidden[1].narrow(0, 0, 6), expected, 1e-5, 1e-5));

  Batch changed = padded;
  changed.input_ids = padded.input_ids.clone();
  changed.input_ids[1].narrow(0, 6, 3).fill_(0);
  const torch::Tensor other = model->hidden_states(changed);
  EXPECT_TRUE(torch::allclose(other[1].narrow(0, 0, 6), hidden[1].narrow(0, 0, 6), 1e-6, 1e-6));
  EXPECT_TRUE(torch::equal(other[0], hidden[0]));
}

TEST(CrammedBert, DropoutFollowsTheSwitch) {
  const EncoderSize size = small_size();  // dropout 0.1 everywhere
  auto model = make_model(size);
  model->train();
  const Batch batch = random_batch(size, 2, 8);
  model->set_dropout_enabled(false);
  EXPECT_TRUE(torch::equal(model->hidden_states(batch), model->hidden_states(batch)));
  model->set_dropout_enabled(true);
  EXPECT_FALSE(torch::allclose(model->hidden_states(batch), model->hidden_states(batch)));
  model->eval();
  EXPECT_TRUE(torch::equal(model->hidden_states(batch), model->hidden_states(batch)));
}

}  // namespace
}  // namespace dac::model
