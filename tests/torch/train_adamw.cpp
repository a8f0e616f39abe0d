// AdamW: the recipe's parameter groups, agreement with torch::optim::AdamW, and state that
// survives a save and load.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <sstream>

#include "dac/error.hpp"
#include "dac/train/adamw.hpp"
#include "support/test_support.hpp"

namespace dac::train {
namespace {

using test::contains;

struct SmallNet : torch::nn::Module {
  SmallNet(std::int64_t in = 4, std::int64_t out = 3) {
    linear = register_module("linear", torch::nn::Linear(in, out));
    norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({out})));
    scale = register_parameter("scale", torch::ones({}));
    frozen = register_parameter("frozen", torch::ones({2, 2}), /*requires_grad=*/false);
  }
  torch::Tensor forward(const torch::Tensor& x) { return norm(linear(x)) * scale; }

  torch::nn::Linear linear{nullptr};
  torch::nn::LayerNorm norm{nullptr};
  torch::Tensor scale, frozen;
};

// A second network with the same values.
std::shared_ptr<SmallNet> copy_of(const SmallNet& source) {
  auto copy = std::make_shared<SmallNet>();
  torch::NoGradGuard no_grad;
  auto to = copy->named_parameters();
  for (const auto& item : source.named_parameters()) to[item.key()].copy_(item.value());
  return copy;
}

void backward_on(SmallNet& net, int step) {
  torch::manual_seed(100 + step);
  const torch::Tensor x = torch::randn({5, 4});
  const torch::Tensor target = torch::randn({5, 3});
  const torch::Tensor loss = (net.forward(x) - target).pow(2).mean() + net.scale.pow(3).sum();
  loss.backward();
}

double max_difference(const torch::nn::Module& a, const torch::nn::Module& b) {
  double worst = 0;
  auto other = b.named_parameters();
  for (const auto& item : a.named_parameters())
    worst = std::max(worst, (item.value() - other[item.key()]).abs().max().item<double>());
  return worst;
}

TEST(AdamW, RecipeGroupsSplitWeightsFromBiasesNormsAndScalars) {
  SmallNet net;
  const auto groups = recipe_parameter_groups(net, 0.01);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].name, "decay");
  EXPECT_DOUBLE_EQ(groups[0].weight_decay, 0.01);
  EXPECT_EQ(groups[0].parameter_names, std::vector<std::string>({"linear.weight"}));
  EXPECT_EQ(groups[1].name, "no_decay");
  EXPECT_DOUBLE_EQ(groups[1].weight_decay, 0.0);
  EXPECT_EQ(groups[1].parameter_names,
            std::vector<std::string>({"scale", "linear.bias", "norm.weight", "norm.bias"}));
  ASSERT_EQ(groups[0].parameters.size(), 1u);
  EXPECT_TRUE(groups[0].parameters[0].is_same(net.linear->weight));
}

TEST(AdamW, MatchesTorchAdamWWithTwoGroups) {
  torch::manual_seed(1);
  SmallNet ours;
  auto reference = copy_of(ours);

  const AdamWOptions options{0.9, 0.98, 1e-12};
  AdamW optimizer(recipe_parameter_groups(ours, 0.1), options);

  const auto reference_groups = recipe_parameter_groups(*reference, 0.1);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  for (const auto& group : reference_groups) {
    auto group_options = std::make_unique<torch::optim::AdamWOptions>(0.01);
    group_options->betas({0.9, 0.98}).eps(1e-12).weight_decay(group.weight_decay);
    groups.emplace_back(group.parameters, std::move(group_options));
  }
  torch::optim::AdamW torch_adamw(groups, torch::optim::AdamWOptions(0.01));
  const torch::Tensor initial = ours.linear->weight.detach().clone();

  for (int step = 0; step < 5; ++step) {
    backward_on(ours, step);
    backward_on(*reference, step);
    optimizer.step(0.01);
    torch_adamw.step();
    optimizer.zero_grad();
    torch_adamw.zero_grad();
  }
  EXPECT_EQ(optimizer.steps_taken(), 5);
  EXPECT_LT(max_difference(ours, *reference), 1e-7);
  EXPECT_GT((ours.linear->weight - initial).abs().max().item<double>(), 1e-3);
  EXPECT_TRUE(torch::equal(ours.frozen, torch::ones({2, 2})));
}

TEST(AdamW, ParametersWithoutGradientsAreSkippedAsTorchDoes) {
  torch::manual_seed(2);
  SmallNet ours;
  auto reference = copy_of(ours);
  AdamW optimizer(recipe_parameter_groups(ours, 0.1), {});
  std::vector<torch::optim::OptimizerParamGroup> groups;
  for (const auto& group : recipe_parameter_groups(*reference, 0.1)) {
    auto group_options = std::make_unique<torch::optim::AdamWOptions>(0.01);
    group_options->betas({0.9, 0.98}).eps(1e-12).weight_decay(group.weight_decay);
    groups.emplace_back(group.parameters, std::move(group_options));
  }
  torch::optim::AdamW torch_adamw(groups, torch::optim::AdamWOptions(0.01));

  // Step 1: only the linear layer has gradients; the LayerNorm and the scale are untouched.
  const torch::Tensor norm_before = ours.norm->weight.detach().clone();
  for (SmallNet* net : {&ours, reference.get()}) {
    torch::manual_seed(7);
    net->linear->forward(torch::randn({3, 4})).pow(2).sum().backward();
  }
  EXPECT_EQ(optimizer.parameters().size(), 2u);
  optimizer.step(0.01);
  torch_adamw.step();
  EXPECT_TRUE(torch::equal(ours.norm->weight, norm_before));
  optimizer.zero_grad();
  torch_adamw.zero_grad();
  EXPECT_TRUE(optimizer.parameters().empty());
  EXPECT_FALSE(ours.linear->weight.grad().defined());

  // Step 2: everything has gradients; the norm's bias correction starts at its first update.
  backward_on(ours, 1);
  backward_on(*reference, 1);
  optimizer.step(0.01);
  torch_adamw.step();
  EXPECT_LT(max_difference(ours, *reference), 1e-7);
}

TEST(AdamW, SaveAndLoadContinueIdentically) {
  torch::manual_seed(3);
  SmallNet first;
  AdamW optimizer(recipe_parameter_groups(first, 0.01), {});
  for (int step = 0; step < 3; ++step) {
    backward_on(first, step);
    optimizer.step(0.01);
    optimizer.zero_grad();
  }
  std::ostringstream bytes;
  {
    torch::serialize::OutputArchive archive;
    optimizer.save(archive);
    archive.save_to(bytes);
  }

  auto second = copy_of(first);
  AdamW restored(recipe_parameter_groups(*second, 0.01), {});
  {
    std::istringstream in(bytes.str());
    torch::serialize::InputArchive archive;
    archive.load_from(in);
    restored.load(archive);
  }
  EXPECT_EQ(restored.steps_taken(), 3);
  for (int step = 3; step < 5; ++step) {
    backward_on(first, step);
    backward_on(*second, step);
    optimizer.step(0.01);
    restored.step(0.01);
    optimizer.zero_grad();
    restored.zero_grad();
  }
  EXPECT_EQ(max_difference(first, *second), 0.0);
}

TEST(AdamW, LoadNamesTheFirstMismatch) {
  SmallNet net;
  AdamW optimizer(recipe_parameter_groups(net, 0.01), {});
  std::ostringstream bytes;
  {
    torch::serialize::OutputArchive archive;
    optimizer.save(archive);
    archive.save_to(bytes);
  }
  auto load_into = [&](AdamW& target) {
    std::istringstream in(bytes.str());
    torch::serialize::InputArchive archive;
    archive.load_from(in);
    target.load(archive);
  };

  SmallNet wider(4, 5);
  AdamW other_shape(recipe_parameter_groups(wider, 0.01), {});
  const std::string shape_error = test::error_of<UserError>([&] { load_into(other_shape); });
  EXPECT_PRED2(contains, shape_error, "'linear.weight'");
  EXPECT_PRED2(contains, shape_error, "[3, 4]");
  EXPECT_PRED2(contains, shape_error, "[5, 4]");

  // A model with one parameter fewer: the state has a name the model lacks.
  SmallNet smaller;
  auto groups = recipe_parameter_groups(smaller, 0.01);
  groups[1].parameter_names.pop_back();
  groups[1].parameters.pop_back();
  AdamW fewer(groups, {});
  EXPECT_PRED2(contains, test::error_of<UserError>([&] { load_into(fewer); }), "'norm.bias'");
}

}  // namespace
}  // namespace dac::train
