// What the prepare stage writes: rows are packed into a temporary stream shard in reading order,
// then reordered (shuffled or sentence-length curriculum), split into train and validation and
// written as shards with annotation sidecars, with a manifest and statistics.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "dac/config.hpp"
#include "dac/records.hpp"
#include "dac/text/row_packer.hpp"
#include "dac/text/vocab.hpp"
#include "prepare_options.hpp"

namespace dac::text {
class TokenShardWriter;
class AnnotationSidecarWriter;
}  // namespace dac::text

namespace dac::plugins {

class PreparedData {
 public:
  PreparedData(const std::filesystem::path& dir, const PrepareOptions& options,
               const text::Vocab& vocab, std::vector<std::string> chunk_types = {});
  ~PreparedData();

  void add_document(std::span<const std::int32_t> ids, std::span<const text::DocumentChunk> chunks);
  void count_filtered(std::size_t tokens);
  // Drops the incomplete last row and closes the stream files.
  void finish_packing();
  // Writes train-NNNNN and validation-NNNNN shards + sidecars in their final order, and
  // shards.toml; removes the temporary stream.
  void write_ordered_splits(std::uint64_t seed, RunLog& log);
  // documents, tokens, rows, filtered share, chunk counts, files.
  ConfigNode statistics() const;
  const text::PackingStats& packing() const { return packer_.stats(); }

 private:
  void store_row(text::PackedRow&& row);
  std::filesystem::path dir_;
  PrepareOptions options_;
  std::int32_t period_id_;
  std::int64_t vocab_size_;
  std::vector<std::string> chunk_types_;
  std::unique_ptr<text::TokenShardWriter> stream_;
  std::unique_ptr<text::AnnotationSidecarWriter> stream_chunks_;
  text::RowPacker packer_;
  std::vector<std::uint16_t> periods_per_row_;  // for the sentence-length curriculum
  std::uint64_t filtered_documents_ = 0;
  std::uint64_t filtered_tokens_ = 0;
  std::uint64_t train_rows_ = 0;
  std::uint64_t validation_rows_ = 0;
  std::vector<std::string> files_;
};

// A seeded permutation of [0, count) that is the same on every machine; `stream_tag` keeps the
// different uses of one seed independent.
std::vector<std::uint64_t> seeded_permutation(std::uint64_t count, std::uint64_t seed,
                                              std::uint32_t stream_tag);

}  // namespace dac::plugins
