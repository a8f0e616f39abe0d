// Agreement chunks for the batches of an encoder that reads them.
#include "dac/train/agreement_extras.hpp"

#include <algorithm>
#include <memory>

#include "dac/error.hpp"
#include "dac/model/agreement_chunks.hpp"
#include "dac/text/batch_chunks.hpp"
#include "dac/train/checkpoint.hpp"

namespace dac::train {

std::vector<std::string> agreement_types_read_by(const Encoder& encoder) {
  const std::string prefix = model::agreement_extra_name("");
  std::vector<std::string> types;
  for (const std::string& name : encoder.extra_inputs())
    if (name.starts_with(prefix)) types.push_back(name.substr(prefix.size()));
  return types;
}

torch::Tensor agreement_extra(const std::vector<std::vector<std::int64_t>>& chunks,
                              std::int64_t max_chunk_wordpieces) {
  std::size_t longest = 1;
  for (const auto& chunk : chunks) longest = std::max(longest, chunk.size());
  return model::chunk_positions_tensor(
      chunks, std::min<std::int64_t>(max_chunk_wordpieces, static_cast<std::int64_t>(longest)));
}

MlmBatchExtras agreement_batch_extras(const std::vector<std::filesystem::path>& shards,
                                      const std::vector<std::string>& types,
                                      std::int64_t max_chunk_wordpieces) {
  auto reader = std::make_shared<const text::BatchChunkReader>(shards, types);
  return [reader, max_chunk_wordpieces](const text::MlmBatch& source, Batch& batch) {
    const auto by_type = reader->chunks(source.row_ids);
    for (std::size_t t = 0; t < by_type.size(); ++t)
      batch.extras[model::agreement_extra_name(reader->types()[t])] =
          agreement_extra(by_type[t], max_chunk_wordpieces);
  };
}

void load_stage_one_submodels(const std::filesystem::path& checkpoint, torch::nn::Module& encoder,
                              const std::vector<std::string>& types) {
  torch::nn::Module view;
  const auto children = encoder.named_children();
  for (const std::string& type : types) {
    const std::string name = "submodel_" + type;
    const auto* child = children.find(name);
    if (child == nullptr)
      throw UserError("the encoder has no submodel for agreement type '" + type +
                      "' to load from " + checkpoint.string());
    view.register_module(name, *child);
  }
  load_weights(checkpoint, view);
}

}  // namespace dac::train
