// The agreement chunks of a batch's rows, read from the annotation sidecars that the prepare
// stage writes beside its token shards (train-00000.chunks beside train-00000.tokens). Chunks
// come back per agreement type as flat token indices into the batch (row in batch · seq_len +
// position), the form the encoders' agreement extras take.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "dac/text/annotation_sidecar.hpp"

namespace dac::text {

// The sidecar of a token shard: the same path with the extension .chunks.
std::filesystem::path sidecar_of_shard(const std::filesystem::path& shard);

// A chunk of one row: its members' positions in the row and its two anchors.
struct AnchoredChunk {
  std::vector<std::uint16_t> members;
  std::uint16_t controller = 0;
  std::uint16_t target = 0;
};

class BatchChunkReader {
 public:
  // `shards` in the batch loader's order (global row ids count through them). A UserError names
  // the sidecar that is missing, does not match its shard, or lacks one of `types` (listing the
  // types it has).
  BatchChunkReader(const std::vector<std::filesystem::path>& shards,
                   std::vector<std::string> types);

  const std::vector<std::string>& types() const { return types_; }
  std::uint32_t seq_len() const { return seq_len_; }

  // Per type (in the order of types()), every chunk of the rows `row_ids` (the batch's rows in
  // order) as its members' flat indices.
  std::vector<std::vector<std::vector<std::int64_t>>> chunks(
      std::span<const std::uint64_t> row_ids) const;
  // Per type, the chunks of one row (a global row id), positions within the row.
  std::vector<std::vector<AnchoredChunk>> row_chunks(std::uint64_t row) const;

 private:
  std::vector<AnnotationSidecarReader> sidecars_;
  std::vector<std::uint64_t> starts_;        // global index of each sidecar's first row
  std::vector<std::vector<int>> type_slot_;  // per sidecar: its type index -> slot or -1
  std::vector<std::string> types_;
  std::uint32_t seq_len_ = 0;
};

}  // namespace dac::text
