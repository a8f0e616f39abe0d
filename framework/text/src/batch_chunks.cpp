// The agreement chunks of a batch's rows, from the annotation sidecars beside the token shards.
#include "dac/text/batch_chunks.hpp"

#include <algorithm>

#include "dac/error.hpp"

namespace dac::text {

namespace fs = std::filesystem;

fs::path sidecar_of_shard(const fs::path& shard) {
  fs::path sidecar = shard;
  sidecar.replace_extension(".chunks");
  return sidecar;
}

BatchChunkReader::BatchChunkReader(const std::vector<fs::path>& shards,
                                   std::vector<std::string> types)
    : types_(std::move(types)) {
  std::uint64_t start = 0;
  for (const fs::path& shard : shards) {
    const fs::path path = sidecar_of_shard(shard);
    if (!fs::exists(path))
      throw UserError(path.string() + ": no annotation sidecar beside " + shard.string() +
                      " (the encoder reads agreement chunks: prepare the data with an "
                      "annotator, e.g. annotator = { name = \"agreements\" })");
    AnnotationSidecarReader sidecar(path);
    sidecar.check_matches(TokenShardReader(shard, ChecksumCheck::kSkip));
    if (seq_len_ == 0) seq_len_ = sidecar.seq_len();
    std::vector<int> slots(sidecar.type_names().size(), -1);
    for (std::size_t t = 0; t < types_.size(); ++t) {
      const auto& names = sidecar.type_names();
      const auto found = std::find(names.begin(), names.end(), types_[t]);
      if (found == names.end()) {
        std::string listed;
        for (const std::string& name : names) listed += (listed.empty() ? "" : ", ") + name;
        throw UserError(path.string() + ": has no chunks of agreement type '" + types_[t] +
                        "' (it has: " + (listed.empty() ? "none" : listed) + ")");
      }
      slots[static_cast<std::size_t>(found - names.begin())] = static_cast<int>(t);
    }
    starts_.push_back(start);
    start += sidecar.rows();
    type_slot_.push_back(std::move(slots));
    sidecars_.push_back(std::move(sidecar));
  }
  starts_.push_back(start);
}

std::vector<std::vector<AnchoredChunk>> BatchChunkReader::row_chunks(std::uint64_t row) const {
  const auto next = std::upper_bound(starts_.begin(), starts_.end(), row);
  if (next == starts_.begin() || next == starts_.end())
    throw std::out_of_range("row " + std::to_string(row) + " is past the sidecars' rows");
  const auto s = static_cast<std::size_t>(next - starts_.begin() - 1);
  std::vector<std::vector<AnchoredChunk>> by_type(types_.size());
  for (const ChunkView& chunk : sidecars_[s].chunks(row - starts_[s])) {
    const int slot = type_slot_[s][chunk.type];
    if (slot < 0) continue;
    by_type[static_cast<std::size_t>(slot)].push_back(
        {{chunk.members.begin(), chunk.members.end()}, chunk.controller, chunk.target});
  }
  return by_type;
}

std::vector<std::vector<std::vector<std::int64_t>>> BatchChunkReader::chunks(
    std::span<const std::uint64_t> row_ids) const {
  std::vector<std::vector<std::vector<std::int64_t>>> by_type(types_.size());
  for (std::size_t r = 0; r < row_ids.size(); ++r) {
    const std::int64_t base = static_cast<std::int64_t>(r) * seq_len_;
    const auto row = row_chunks(row_ids[r]);
    for (std::size_t t = 0; t < row.size(); ++t) {
      for (const AnchoredChunk& chunk : row[t]) {
        std::vector<std::int64_t> members;
        members.reserve(chunk.members.size());
        for (const std::uint16_t member : chunk.members) members.push_back(base + member);
        by_type[t].push_back(std::move(members));
      }
    }
  }
  return by_type;
}

}  // namespace dac::text
