// Writing the prepare stage's output: the reading-order stream, then ordered train/validation
// shards with sidecars, a manifest (shards.toml) and statistics.
#include "prepare_output.hpp"

#include <algorithm>
#include <numeric>

#include "dac/error.hpp"
#include "dac/records.hpp"
#include "dac/summary.hpp"
#include "dac/text/annotation_sidecar.hpp"
#include "dac/text/philox.hpp"
#include "dac/text/token_shard.hpp"

namespace dac::plugins {

namespace fs = std::filesystem;

namespace {

// Tags of the prepare stage's Philox streams (counter word 3), one per use of the seed.
constexpr std::uint32_t kOrderStream = 1;
constexpr std::uint32_t kValidationStream = 2;

fs::path stream_path(const fs::path& dir) {
  return dir / "tmp" / "stream.tokens";
}
fs::path stream_chunks_path(const fs::path& dir) {
  return dir / "tmp" / "stream.chunks";
}

std::string shard_name(const std::string& split, std::size_t index) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%s-%05zu", split.c_str(), index);
  return buffer;
}

}  // namespace

std::vector<std::uint64_t> seeded_permutation(std::uint64_t count, std::uint64_t seed,
                                              std::uint32_t stream_tag) {
  if (count > (std::uint64_t{1} << 32))
    throw UserError("the prepare stage shuffles at most 2^32 rows; use more seq_len or less text");
  std::vector<std::uint64_t> order(count);
  std::iota(order.begin(), order.end(), std::uint64_t{0});
  text::PhiloxStream stream(seed, 0, 0, stream_tag);
  text::shuffle_with(stream, order);
  return order;
}

PreparedData::PreparedData(const fs::path& dir, const PrepareOptions& options,
                           const text::Vocab& vocab, std::vector<std::string> chunk_types)
    : dir_(dir),
      options_(options),
      period_id_(vocab.id(".")),
      vocab_size_(static_cast<std::int64_t>(vocab.size())),
      chunk_types_(std::move(chunk_types)),
      packer_(static_cast<std::size_t>(options.seq_len), vocab.sep(),
              [this](text::PackedRow&& row) { store_row(std::move(row)); }) {
  fs::create_directories(dir_ / "tmp");
  stream_ = std::make_unique<text::TokenShardWriter>(stream_path(dir_),
                                                     static_cast<std::uint32_t>(options.seq_len),
                                                     static_cast<std::uint32_t>(vocab_size_));
  stream_chunks_ = std::make_unique<text::AnnotationSidecarWriter>(
      stream_chunks_path(dir_), static_cast<std::uint32_t>(options.seq_len), chunk_types_);
}

PreparedData::~PreparedData() = default;

void PreparedData::add_document(std::span<const std::int32_t> ids,
                                std::span<const text::DocumentChunk> chunks) {
  packer_.add_document(ids, chunks);
}

void PreparedData::count_filtered(std::size_t tokens) {
  ++filtered_documents_;
  filtered_tokens_ += tokens;
}

void PreparedData::store_row(text::PackedRow&& row) {
  stream_->add_row(row.ids, row.document_starts);
  stream_chunks_->add_row(row.chunks);
  periods_per_row_.push_back(
      static_cast<std::uint16_t>(std::count(row.ids.begin(), row.ids.end(), period_id_)));
}

void PreparedData::finish_packing() {
  packer_.finish();
  stream_->finish();
  stream_chunks_->finish();
}

void PreparedData::write_ordered_splits(std::uint64_t seed, RunLog& log) {
  const text::TokenShardReader rows(stream_path(dir_));
  const text::AnnotationSidecarReader chunks(stream_chunks_path(dir_));
  const std::uint64_t count = rows.rows();
  if (count == 0) {
    const std::uint64_t documents = packer_.stats().documents + filtered_documents_;
    const std::string filtered =
        filtered_documents_ == 0
            ? ""
            : " (" + std::to_string(filtered_documents_) + " of " + std::to_string(documents) +
                  " documents were dropped because they tokenise into at least filter_ratio = " +
                  format_number(options_.filter_ratio) +
                  " tokens per character: a larger vocab_size or filter_ratio keeps them)";
    throw UserError("the corpus gave no complete row of " + std::to_string(options_.seq_len) +
                    " tokens" + filtered + "; use a larger corpus or a smaller seq_len");
  }

  // Validation rows: a seeded random subset, at least one row when the fraction is positive.
  std::uint64_t validation =
      static_cast<std::uint64_t>(options_.validation_fraction * static_cast<double>(count) + 0.5);
  if (options_.validation_fraction > 0 && validation == 0 && count > 1) validation = 1;
  std::vector<char> is_validation(count, 0);
  const auto held_out = seeded_permutation(count, seed, kValidationStream);
  for (std::uint64_t i = 0; i < validation; ++i) is_validation[held_out[i]] = 1;

  std::vector<std::uint64_t> order;
  if (options_.ordering == "randomized") {
    order = seeded_permutation(count, seed, kOrderStream);
  } else {
    order.resize(count);
    for (std::uint64_t i = 0; i < count; ++i) order[i] = i;
    if (options_.ordering == "sentence_length_curriculum")
      std::stable_sort(order.begin(), order.end(), [&](std::uint64_t a, std::uint64_t b) {
        return periods_per_row_[a] > periods_per_row_[b];
      });
  }

  std::vector<std::int32_t> ids(static_cast<std::size_t>(options_.seq_len));
  std::vector<text::Chunk> row_chunks;
  auto write_split = [&](const std::string& split, bool want_validation) {
    std::unique_ptr<text::TokenShardWriter> shard;
    std::unique_ptr<text::AnnotationSidecarWriter> sidecar;
    std::size_t shard_index = 0;
    std::uint64_t in_shard = 0;
    std::uint64_t written = 0;
    auto close = [&] {
      if (!shard) return;
      shard->finish();
      sidecar->finish();
      shard.reset();
      sidecar.reset();
      ++shard_index;
    };
    for (const std::uint64_t row : order) {
      if (static_cast<bool>(is_validation[row]) != want_validation) continue;
      if (!shard) {
        const std::string name = shard_name(split, shard_index);
        shard = std::make_unique<text::TokenShardWriter>(
            dir_ / (name + ".tokens"), static_cast<std::uint32_t>(options_.seq_len),
            static_cast<std::uint32_t>(vocab_size_));
        sidecar = std::make_unique<text::AnnotationSidecarWriter>(
            dir_ / (name + ".chunks"), static_cast<std::uint32_t>(options_.seq_len), chunk_types_);
        files_.push_back(name);
        in_shard = 0;
      }
      rows.row(row, ids);
      shard->add_row(ids, rows.document_starts(row));
      row_chunks.clear();
      for (const text::ChunkView& view : chunks.chunks(row))
        row_chunks.push_back(text::Chunk{
            view.type, view.controller, view.target, {view.members.begin(), view.members.end()}});
      sidecar->add_row(row_chunks);
      ++written;
      if (++in_shard == static_cast<std::uint64_t>(options_.shard_rows)) close();
    }
    close();
    return written;
  };
  train_rows_ = write_split("train", false);
  validation_rows_ = write_split("validation", true);
  fs::remove_all(dir_ / "tmp");
  log.info("wrote " + std::to_string(train_rows_) + " train rows and " +
           std::to_string(validation_rows_) + " validation rows in " +
           std::to_string(files_.size()) + " shards (" + options_.ordering + ")");

  ConfigNode manifest = ConfigNode::table();
  manifest.set("format", ConfigNode::integer(1));
  manifest.set("seq_len", ConfigNode::integer(options_.seq_len));
  manifest.set("vocab_size", ConfigNode::integer(vocab_size_));
  manifest.set("vocab", ConfigNode::string("vocab.txt"));
  manifest.set("normalizer", ConfigNode::string(options_.normalizer));
  manifest.set("ordering", ConfigNode::string(options_.ordering));
  ConfigNode train = ConfigNode::array(), held = ConfigNode::array(), types = ConfigNode::array();
  for (const auto& file : files_)
    (file.rfind("train", 0) == 0 ? train : held).push_back(ConfigNode::string(file));
  for (const auto& type : chunk_types_) types.push_back(ConfigNode::string(type));
  manifest.set("train", train);
  manifest.set("validation", held);
  manifest.set("chunk_types", types);
  write_file_atomically(dir_ / "shards.toml", to_toml(manifest));
}

ConfigNode PreparedData::statistics() const {
  const text::PackingStats& packing = packer_.stats();
  const std::uint64_t documents = packing.documents + filtered_documents_;
  ConfigNode stats = ConfigNode::table();
  stats.set("documents", ConfigNode::integer(static_cast<std::int64_t>(documents)));
  stats.set("documents_filtered",
            ConfigNode::integer(static_cast<std::int64_t>(filtered_documents_)));
  stats.set("filtered_share",
            ConfigNode::real(documents ? static_cast<double>(filtered_documents_) /
                                             static_cast<double>(documents)
                                       : 0.0));
  stats.set("tokens", ConfigNode::integer(static_cast<std::int64_t>(packing.tokens)));
  stats.set("tokens_filtered", ConfigNode::integer(static_cast<std::int64_t>(filtered_tokens_)));
  stats.set("tokens_dropped_tail",
            ConfigNode::integer(static_cast<std::int64_t>(packing.dropped_tail_tokens)));
  stats.set("rows", ConfigNode::integer(static_cast<std::int64_t>(packing.rows)));
  stats.set("train_rows", ConfigNode::integer(static_cast<std::int64_t>(train_rows_)));
  stats.set("validation_rows", ConfigNode::integer(static_cast<std::int64_t>(validation_rows_)));
  stats.set("chunks_kept", ConfigNode::integer(static_cast<std::int64_t>(packing.chunks_kept)));
  stats.set("chunks_cut", ConfigNode::integer(static_cast<std::int64_t>(packing.chunks_cut)));
  stats.set("vocab_size", ConfigNode::integer(vocab_size_));
  stats.set("shards", ConfigNode::integer(static_cast<std::int64_t>(files_.size())));
  return stats;
}

}  // namespace dac::plugins
