// Reading what the prepare stage wrote (shards.toml): the shard files of each split, the row
// length, the vocabulary file and the normaliser, for the stages that train on prepared data.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace dac::text {

struct PreparedManifest {
  std::filesystem::path dir;
  std::int64_t seq_len = 0;
  std::int64_t vocab_size = 0;
  std::filesystem::path vocab;  // absolute
  std::string normalizer;       // "" when the manifest predates the field
  std::string ordering;
  std::vector<std::filesystem::path> train_tokens;       // absolute .tokens paths
  std::vector<std::filesystem::path> validation_tokens;  // may be empty
  std::vector<std::string> chunk_types;
};

// Reads <dir>/shards.toml. A UserError naming the file (and key) when it is missing, malformed,
// or lists shards that do not exist.
PreparedManifest read_prepared_manifest(const std::filesystem::path& dir);

}  // namespace dac::text
