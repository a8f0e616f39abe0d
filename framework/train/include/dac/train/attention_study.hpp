// Where a Crammed-BERT-style encoder attends within agreement chunks: for every chunk of the
// prepared rows, the attention probability from the target token to its controller, averaged per
// agreement type, layer and head. Comparing crammed_bert with dacbert shows whether the agreement
// embeddings change how the main model relates the two ends of an agreement.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "dac/config.hpp"
#include "dac/model/crammed_bert.hpp"
#include "dac/train/compute.hpp"

namespace dac::train {

struct AttentionStudy {
  std::vector<std::string> types;
  std::int64_t layers = 0;
  std::int64_t heads = 0;
  std::int64_t rows = 0;             // rows read
  double uniform_share = 0;          // 1 / row length: attention spread evenly
  std::vector<std::int64_t> chunks;  // per type, chunks with controller != target
  // share[type][layer][head]: mean attention probability from target to controller.
  std::vector<std::vector<std::vector<double>>> share;

  // Per type: the mean over layers and heads, and the highest head.
  double mean_share(std::size_t type) const;
  double max_share(std::size_t type) const;
  // Per type a Markdown table (a row per layer, a column per head).
  std::string markdown() const;
  // attention_<type>_mean and attention_<type>_max per type, and the uniform share.
  ConfigNode summary() const;
};

// Reads the first `max_rows` rows of `shards` (and the chunks of `types` from their sidecars),
// runs the encoder in evaluation mode on batches of `batch_rows` (giving it the chunks of the types
// it reads, as in pretraining) and averages the attention from each chunk's target to its
// controller. A UserError when a sidecar lacks a type.
AttentionStudy study_attention_to_controllers(model::CrammedBert& encoder,
                                              const std::vector<std::filesystem::path>& shards,
                                              const std::vector<std::string>& types,
                                              std::int64_t max_rows, std::int64_t batch_rows,
                                              const Compute& compute);

}  // namespace dac::train
