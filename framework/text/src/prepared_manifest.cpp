// Reads the prepare stage's shards.toml into absolute shard paths.
#include "dac/text/prepared_manifest.hpp"

#include "dac/config.hpp"
#include "dac/error.hpp"

namespace dac::text {

namespace fs = std::filesystem;

namespace {

const ConfigNode& require(const ConfigNode& manifest, const fs::path& file, const char* key) {
  const ConfigNode* node = manifest.find(key);
  if (!node) throw UserError(file.string() + ": missing key '" + key + "'");
  return *node;
}

std::vector<fs::path> shard_paths(const ConfigNode& manifest, const fs::path& file,
                                  const char* key) {
  std::vector<fs::path> paths;
  const ConfigNode* list = manifest.find(key);
  if (!list) return paths;
  if (!list->is_array()) throw UserError(file.string() + ": '" + key + "' is not a list");
  for (const ConfigNode& item : list->items()) {
    if (item.type() != ConfigNode::Type::String)
      throw UserError(file.string() + ": '" + key + "' holds a value that is not a string");
    fs::path path = file.parent_path() / (item.as_string() + ".tokens");
    if (!fs::exists(path))
      throw UserError(file.string() + ": '" + key + "' lists " + item.as_string() + ", but " +
                      path.string() + " does not exist");
    paths.push_back(std::move(path));
  }
  return paths;
}

}  // namespace

PreparedManifest read_prepared_manifest(const fs::path& dir) {
  const fs::path file = dir / "shards.toml";
  if (!fs::exists(file))
    throw UserError(file.string() + " does not exist: is " + dir.string() +
                    " the folder of a finished prepare stage?");
  const ConfigNode manifest = parse_toml_file(file);
  PreparedManifest out;
  out.dir = fs::absolute(dir);
  out.seq_len = require(manifest, file, "seq_len").as_int();
  out.vocab_size = require(manifest, file, "vocab_size").as_int();
  out.vocab = out.dir / require(manifest, file, "vocab").as_string();
  if (const ConfigNode* normalizer = manifest.find("normalizer"))
    out.normalizer = normalizer->as_string();
  if (const ConfigNode* ordering = manifest.find("ordering")) out.ordering = ordering->as_string();
  out.train_tokens = shard_paths(manifest, out.dir / "shards.toml", "train");
  out.validation_tokens = shard_paths(manifest, out.dir / "shards.toml", "validation");
  if (const ConfigNode* types = manifest.find("chunk_types"); types && types->is_array())
    for (const ConfigNode& type : types->items()) out.chunk_types.push_back(type.as_string());
  if (out.train_tokens.empty()) throw UserError(file.string() + ": no train shards listed");
  return out;
}

}  // namespace dac::text
