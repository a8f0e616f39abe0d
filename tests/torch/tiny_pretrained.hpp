// Small pretrained models for the fine-tuning, probing and DACBERT tests: encoder tables 32 wide
// (any encoder plugin, dacbert with a 16-wide chunk_transformer per type), a BERT vocabulary of
// given words, a pretrain stage's checkpoint of an encoder, and a one-thread CPU compute.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "dac/config.hpp"
#include "dac/kinds/encoder.hpp"
#include "dac/train/compute.hpp"

namespace dac::test {

// An encoder table of plugin `name`: `layers` blocks, hidden 32, 2 heads, intermediate 64.
ConfigNode tiny_encoder_table(const std::string& name, std::int64_t vocab_size,
                              std::int64_t max_positions, std::int64_t layers = 1);
// The chunk_transformer submodel table of the tiny dacbert: 1 block, hidden 16, 2 heads,
// intermediate 32, chunks of up to 8 wordpieces.
ConfigNode tiny_submodel_table();
// tiny_encoder_table("dacbert", …) reading `agreement_types` through tiny_submodel_table().
ConfigNode tiny_dacbert_table(const std::vector<std::string>& agreement_types,
                              std::int64_t vocab_size, std::int64_t max_positions,
                              std::int64_t layers = 1);
ConfigNode string_array(const std::vector<std::string>& values);

// [PAD] [UNK] [CLS] [SEP] [MASK] (ids 0–4), then `words`; as a vocabulary file's text, one a line.
std::vector<std::string> bert_vocab_tokens(const std::vector<std::string>& words);
std::string bert_vocab_text(const std::vector<std::string>& words);

// Saves `encoder` as a pretrain stage's checkpoint, `stage`/checkpoints/latest.ckpt, with its
// description, `vocab_text` and the crammed normaliser; returns the checkpoint's path.
std::filesystem::path save_pretrain_checkpoint(const std::filesystem::path& stage,
                                               const Encoder& encoder,
                                               const std::string& vocab_text);

// The CPU with one thread and a given peak of 1 TFLOP/s (so none is measured).
train::Compute one_cpu_thread();

}  // namespace dac::test
