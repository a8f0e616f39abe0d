// The prepare stage's options, read once from its validated config table.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "dac/options.hpp"

namespace dac::plugins {

struct PrepareOptions {
  ConfigNode corpus;            // plugin table: name + the corpus plugin's keys
  std::string normalizer;       // normalizer plugin name
  ConfigNode annotator;         // annotator plugin table; an empty table when there is none
  std::filesystem::path vocab;  // existing vocab.txt; empty = train one
  std::int64_t vocab_size = 32768;
  std::int64_t min_frequency = 2;
  std::int64_t seq_len = 128;
  double filter_ratio = 0.25;  // drop documents with tokens/characters >= this; 0 = keep all
  std::string ordering;        // "randomized", "sentence_length_curriculum" or "as_read"
  double validation_fraction = 0.01;
  std::int64_t shard_rows = 65536;
  std::int64_t max_documents = 0;  // 0 = all
  unsigned threads = 0;            // 0 = all cores

  static ConfigSchema schema();
  static PrepareOptions read(const Options& options);
};

}  // namespace dac::plugins
