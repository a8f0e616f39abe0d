// The encoder export: safetensors with every parameter and buffer, encoder.json and vocab.txt.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <cstring>
#include <sstream>

#include "dac/safetensors.hpp"
#include "dac/train/export.hpp"
#include "support/test_support.hpp"
#include "train_tiny_encoder.hpp"

namespace dac::train {
namespace {

namespace fs = std::filesystem;

TEST(Export, WritesWeightsDescriptionAndVocabulary) {
  test::TempDir dir;
  const fs::path folder = dir / "export" / "encoder";
  torch::manual_seed(3);
  test::TinyEncoder encoder;
  ConfigNode training = ConfigNode::table();
  training.set("seed", ConfigNode::integer(17));
  training.set("device", ConfigNode::string("cpu"));
  const std::string vocab = "[PAD]\n[UNK]\n[MASK]\nthe\n";
  export_encoder(folder, encoder, vocab, "bert_uncased", training);

  ASSERT_TRUE(fs::exists(folder / "encoder.safetensors"));
  ASSERT_TRUE(fs::exists(folder / "encoder.json"));
  EXPECT_EQ(test::read_file(folder / "vocab.txt"), vocab);

  const SafetensorsFile weights = read_safetensors(folder / "encoder.safetensors");
  std::size_t expected_count = 0;
  for (const auto& item : encoder.named_parameters()) {
    ++expected_count;
    const auto found = weights.tensors.find(item.key());
    ASSERT_NE(found, weights.tensors.end()) << item.key();
    EXPECT_EQ(found->second.dtype, "F32");
    EXPECT_EQ(found->second.shape, item.value().sizes().vec()) << item.key();
    ASSERT_EQ(found->second.end - found->second.begin, item.value().numel() * sizeof(float));
    const torch::Tensor stored =
        torch::from_blob(const_cast<std::uint8_t*>(weights.data.data() + found->second.begin),
                         item.value().sizes(), torch::kFloat32)
            .clone();
    EXPECT_TRUE(torch::equal(stored, item.value())) << item.key();
  }
  ++expected_count;
  ASSERT_TRUE(weights.tensors.count("position_ids"));
  EXPECT_EQ(weights.tensors.at("position_ids").dtype, "I64");
  EXPECT_EQ(weights.tensors.at("position_ids").shape, std::vector<std::int64_t>({8}));
  EXPECT_EQ(weights.tensors.size(), expected_count);
  EXPECT_EQ(weights.metadata.at("dacrun_format"), "dacrun-encoder-1");

  boost::property_tree::ptree json;
  std::istringstream text(test::read_file(folder / "encoder.json"));
  ASSERT_NO_THROW(boost::property_tree::read_json(text, json));
  EXPECT_EQ(json.get<std::string>("format"), "dacrun-encoder-1");
  EXPECT_EQ(json.get<std::string>("encoder.name"), "tiny");
  EXPECT_EQ(json.get<int>("encoder.vocab_size"), 11);
  EXPECT_EQ(json.get<std::string>("normalizer"), "bert_uncased");
  EXPECT_EQ(json.get<int>("training.seed"), 17);
}

}  // namespace
}  // namespace dac::train
