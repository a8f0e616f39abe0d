// The `agreements` annotator's counts and their table.
#include "annotation_statistics.hpp"

#include <algorithm>

namespace dac::annotation {

namespace {

ConfigNode count(std::uint64_t value) {
  return ConfigNode::integer(static_cast<std::int64_t>(value));
}

double ratio(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

std::uint64_t count_of(const ConfigNode& table, std::string_view key) {
  const ConfigNode* value = table.find(key);
  return value ? static_cast<std::uint64_t>(value->as_int()) : 0;
}

}  // namespace

AnnotationStatistics::AnnotationStatistics(std::vector<std::string> types)
    : types_(std::move(types)), totals_(types_.size()) {}

void AnnotationStatistics::add(const DocumentCounts& counts) {
  const std::lock_guard lock(mutex_);
  ++documents_;
  sentences_ += counts.sentences;
  words_ += counts.words;
  parse_seconds_ += counts.parse_seconds;
  for (std::size_t t = 0; t < totals_.size() && t < counts.types.size(); ++t) {
    const DocumentCounts::Type& add = counts.types[t];
    DocumentCounts::Type& total = totals_[t].counts;
    totals_[t].documents += add.chunks > 0;
    total.sentences += add.sentences;
    total.chunks += add.chunks;
    total.chunk_words += add.chunk_words;
    total.chunk_words_max = std::max(total.chunk_words_max, add.chunk_words_max);
    total.aligned += add.aligned;
    total.chunk_pieces += add.chunk_pieces;
    total.chunk_pieces_max = std::max(total.chunk_pieces_max, add.chunk_pieces_max);
  }
}

void AnnotationStatistics::add_parse_seconds(double seconds) {
  const std::lock_guard lock(mutex_);
  parse_seconds_ += seconds;
}

ConfigNode AnnotationStatistics::table() const {
  const std::lock_guard lock(mutex_);
  ConfigNode table = ConfigNode::table();
  table.set("documents", count(documents_));
  table.set("sentences", count(sentences_));
  table.set("words", count(words_));
  table.set("parse_seconds", ConfigNode::real(parse_seconds_));
  table.set(
      "words_per_second",
      ConfigNode::real(parse_seconds_ > 0 ? static_cast<double>(words_) / parse_seconds_ : 0));
  std::uint64_t chunks = 0;
  for (const TypeTotals& totals : totals_) chunks += totals.counts.aligned;
  table.set("chunks", count(chunks));
  for (std::size_t t = 0; t < types_.size(); ++t) {
    const DocumentCounts::Type& total = totals_[t].counts;
    ConfigNode type = ConfigNode::table();
    type.set("documents", count(totals_[t].documents));
    type.set("sentences", count(total.sentences));
    type.set("chunks", count(total.chunks));
    type.set("per_1000_words", ConfigNode::real(1000.0 * ratio(total.chunks, words_)));
    type.set("chunk_words_mean", ConfigNode::real(ratio(total.chunk_words, total.chunks)));
    type.set("chunk_words_max", count(total.chunk_words_max));
    type.set("chunk_words_total", count(total.chunk_words));
    type.set("aligned", count(total.aligned));
    type.set("lost_at_alignment", count(total.chunks - total.aligned));
    type.set("chunk_wordpieces_mean", ConfigNode::real(ratio(total.chunk_pieces, total.aligned)));
    type.set("chunk_wordpieces_max", count(total.chunk_pieces_max));
    type.set("chunk_wordpieces_total", count(total.chunk_pieces));
    table.set(types_[t], std::move(type));
  }
  return table;
}

void AnnotationStatistics::restore(const ConfigNode& saved) {
  const std::lock_guard lock(mutex_);
  documents_ = count_of(saved, "documents");
  sentences_ = count_of(saved, "sentences");
  words_ = count_of(saved, "words");
  const ConfigNode* seconds = saved.find("parse_seconds");
  parse_seconds_ = seconds ? seconds->as_float() : 0.0;
  for (std::size_t t = 0; t < types_.size(); ++t) {
    totals_[t] = TypeTotals{};
    const ConfigNode* type = saved.find(types_[t]);
    if (!type || !type->is_table()) continue;
    DocumentCounts::Type& total = totals_[t].counts;
    totals_[t].documents = count_of(*type, "documents");
    total.sentences = count_of(*type, "sentences");
    total.chunks = count_of(*type, "chunks");
    total.chunk_words = count_of(*type, "chunk_words_total");
    total.chunk_words_max = count_of(*type, "chunk_words_max");
    total.aligned = count_of(*type, "aligned");
    total.chunk_pieces = count_of(*type, "chunk_wordpieces_total");
    total.chunk_pieces_max = count_of(*type, "chunk_wordpieces_max");
  }
}

}  // namespace dac::annotation
