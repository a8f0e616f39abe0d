// GLUE examples as model inputs: `[CLS] A [SEP] B [SEP]` wordpiece ids with segment ids,
// truncated longest-first to the maximum length; batches of similar length (so padding stays
// small) with the attention mask marking real tokens.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "dac/kinds/encoder.hpp"
#include "dac/kinds/glue_task.hpp"
#include "dac/kinds/normalizer.hpp"
#include "dac/text/vocab.hpp"
#include "dac/text/wordpiece.hpp"

namespace dac::finetune {

struct EncodedExample {
  std::vector<std::int32_t> ids;      // [CLS] A [SEP] (B [SEP])
  std::vector<std::int8_t> segments;  // 0 for [CLS] A [SEP], 1 for B [SEP]
  double label = 0;
  bool truncated = false;
};

// Where each sentence's kept wordpieces sit in EncodedExample::ids: A at [1, 1 + a_length), B at
// [b_begin, b_begin + b_length) (b_length 0 for a single sentence).
struct SentenceSpans {
  std::size_t a_length = 0;
  std::size_t b_begin = 0;
  std::size_t b_length = 0;
};
SentenceSpans sentence_spans(const EncodedExample& example);

class GlueTokenizer {
 public:
  // Keeps a reference to `vocab`, which must outlive the tokenizer.
  GlueTokenizer(const text::Vocab& vocab, const std::string& normalizer, std::size_t max_length);
  EncodedExample encode(const GlueExample& example) const;
  std::vector<EncodedExample> encode(const std::vector<GlueExample>& examples) const;
  // One sentence's wordpieces with their byte ranges in `sentence`, before truncation (encode()
  // keeps a prefix of them).
  text::WordPieceEncoder::Encoded pieces(std::string_view sentence) const;
  const text::Vocab& vocab() const { return *vocab_; }
  std::size_t max_length() const { return max_length_; }

 private:
  const text::Vocab* vocab_;
  std::unique_ptr<Normalizer> normalizer_;
  text::WordPieceEncoder encoder_;
  std::size_t max_length_;
};

// Batches of at most `batch_size` example indices. With `shuffle`, the examples are shuffled,
// sorted by length within windows of 50 batches, cut into batches and the batches shuffled;
// without, the order is by length (for evaluation; every example appears once either way).
std::vector<std::vector<std::size_t>> length_bucketed_batches(
    const std::vector<EncodedExample>& examples, std::size_t batch_size, std::mt19937_64* shuffle);

// The padded batch of `indices`: input_ids, token_type_ids, attention_mask and labels (int64
// classes, or float for regression).
Batch collate(const std::vector<EncodedExample>& examples, const std::vector<std::size_t>& indices,
              std::int32_t pad_id, bool regression);

}  // namespace dac::finetune
