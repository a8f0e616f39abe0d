// Tokenising GLUE example pairs, grouping them into batches of similar length, and padding a
// batch into tensors.
#include "dac/finetune/glue_inputs.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <numeric>

#include "dac/text/normalizers.hpp"

namespace dac::finetune {

GlueTokenizer::GlueTokenizer(const text::Vocab& vocab, const std::string& normalizer,
                             std::size_t max_length)
    : vocab_(&vocab),
      normalizer_(text::make_normalizer(normalizer)),
      encoder_(vocab),
      max_length_(std::max<std::size_t>(max_length, 4)) {}

SentenceSpans sentence_spans(const EncodedExample& example) {
  // [CLS] A [SEP] has segment 0, B [SEP] segment 1.
  const auto first = static_cast<std::size_t>(
      std::count(example.segments.begin(), example.segments.end(), std::int8_t{0}));
  SentenceSpans spans;
  spans.a_length = first >= 2 ? first - 2 : 0;
  spans.b_begin = first;
  const std::size_t second = example.segments.size() - first;
  spans.b_length = second >= 1 ? second - 1 : 0;
  return spans;
}

text::WordPieceEncoder::Encoded GlueTokenizer::pieces(std::string_view sentence) const {
  return encoder_.encode_text(*normalizer_, sentence);
}

EncodedExample GlueTokenizer::encode(const GlueExample& example) const {
  std::vector<std::int32_t> a = pieces(example.sentence_a).ids;
  std::vector<std::int32_t> b;
  const bool pair = !example.sentence_b.empty();
  if (pair) b = pieces(example.sentence_b).ids;
  // Longest first: drop the last piece of the longer sentence until the pair fits.
  const std::size_t room = max_length_ - (pair ? 3 : 2);
  EncodedExample encoded;
  encoded.label = example.label;
  while (a.size() + b.size() > room) {
    encoded.truncated = true;
    (a.size() >= b.size() ? a : b).pop_back();
  }
  encoded.ids.reserve(a.size() + b.size() + 3);
  encoded.ids.push_back(vocab_->cls());
  encoded.ids.insert(encoded.ids.end(), a.begin(), a.end());
  encoded.ids.push_back(vocab_->sep());
  encoded.segments.assign(encoded.ids.size(), 0);
  if (pair) {
    encoded.ids.insert(encoded.ids.end(), b.begin(), b.end());
    encoded.ids.push_back(vocab_->sep());
    encoded.segments.resize(encoded.ids.size(), 1);
  }
  return encoded;
}

std::vector<EncodedExample> GlueTokenizer::encode(const std::vector<GlueExample>& examples) const {
  std::vector<EncodedExample> encoded;
  encoded.reserve(examples.size());
  for (const GlueExample& example : examples) encoded.push_back(encode(example));
  return encoded;
}

std::vector<std::vector<std::size_t>> length_bucketed_batches(
    const std::vector<EncodedExample>& examples, std::size_t batch_size, std::mt19937_64* shuffle) {
  batch_size = std::max<std::size_t>(1, batch_size);
  std::vector<std::size_t> order(examples.size());
  std::iota(order.begin(), order.end(), 0);
  auto by_length = [&](std::size_t x, std::size_t y) {
    return examples[x].ids.size() < examples[y].ids.size();
  };
  if (shuffle == nullptr) {
    std::stable_sort(order.begin(), order.end(), by_length);
  } else {
    std::shuffle(order.begin(), order.end(), *shuffle);
    const std::size_t window = 50 * batch_size;
    for (std::size_t start = 0; start < order.size(); start += window) {
      auto end =
          order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), start + window));
      std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(start), end, by_length);
    }
  }
  std::vector<std::vector<std::size_t>> batches;
  for (std::size_t start = 0; start < order.size(); start += batch_size)
    batches.emplace_back(
        order.begin() + static_cast<std::ptrdiff_t>(start),
        order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), start + batch_size)));
  if (shuffle != nullptr) std::shuffle(batches.begin(), batches.end(), *shuffle);
  return batches;
}

Batch collate(const std::vector<EncodedExample>& examples, const std::vector<std::size_t>& indices,
              std::int32_t pad_id, bool regression) {
  std::size_t width = 1;
  for (std::size_t index : indices) width = std::max(width, examples.at(index).ids.size());
  const auto rows = static_cast<std::int64_t>(indices.size());
  const auto columns = static_cast<std::int64_t>(width);
  torch::Tensor ids = torch::full({rows, columns}, pad_id, torch::kInt64);
  torch::Tensor segments = torch::zeros({rows, columns}, torch::kInt64);
  torch::Tensor mask = torch::zeros({rows, columns}, torch::kBool);
  std::vector<double> labels;
  auto id_rows = ids.accessor<std::int64_t, 2>();
  auto segment_rows = segments.accessor<std::int64_t, 2>();
  auto mask_rows = mask.accessor<bool, 2>();
  for (std::int64_t row = 0; row < rows; ++row) {
    const EncodedExample& example = examples[indices[static_cast<std::size_t>(row)]];
    for (std::size_t column = 0; column < example.ids.size(); ++column) {
      id_rows[row][static_cast<std::int64_t>(column)] = example.ids[column];
      segment_rows[row][static_cast<std::int64_t>(column)] = example.segments[column];
      mask_rows[row][static_cast<std::int64_t>(column)] = true;
    }
    labels.push_back(example.label);
  }
  Batch batch;
  batch.input_ids = ids;
  batch.token_type_ids = segments;
  batch.attention_mask = mask;
  batch.labels =
      torch::tensor(labels, torch::kFloat64).to(regression ? torch::kFloat32 : torch::kInt64);
  return batch;
}

}  // namespace dac::finetune
