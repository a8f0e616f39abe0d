// Counts the `agreements` annotator gathers while it runs, per agreement type, and their table
// form (annotation.toml): documents, sentences, words, chunks, instances per 1000 words, chunk
// length in words and wordpieces, chunks lost at alignment, parse time. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "dac/config.hpp"

namespace dac::annotation {

// What one document adds; filled by one thread, then merged.
struct DocumentCounts {
  struct Type {
    std::uint64_t sentences = 0;  // sentences with at least one chunk of the type
    std::uint64_t chunks = 0;     // chunks the extractor found
    std::uint64_t chunk_words = 0, chunk_words_max = 0;
    std::uint64_t aligned = 0;  // chunks with wordpieces for controller and target
    std::uint64_t chunk_pieces = 0, chunk_pieces_max = 0;
  };
  std::uint64_t sentences = 0;
  std::uint64_t words = 0;
  double parse_seconds = 0;
  std::vector<Type> types;

  explicit DocumentCounts(std::size_t type_count) : types(type_count) {}
};

class AnnotationStatistics {
 public:
  explicit AnnotationStatistics(std::vector<std::string> types);

  void add(const DocumentCounts& counts);
  // Time spent outside annotate(): reading an external parse.
  void add_parse_seconds(double seconds);
  // The table: documents, sentences, words, parse_seconds, words_per_second, chunks, then one
  // table per type.
  ConfigNode table() const;
  // Starts again from a table() written earlier (for a resumed run).
  void restore(const ConfigNode& saved);

 private:
  struct TypeTotals {
    std::uint64_t documents = 0;
    DocumentCounts::Type counts;
  };
  std::vector<std::string> types_;
  mutable std::mutex mutex_;
  std::uint64_t documents_ = 0, sentences_ = 0, words_ = 0;
  double parse_seconds_ = 0;
  std::vector<TypeTotals> totals_;
};

}  // namespace dac::annotation
