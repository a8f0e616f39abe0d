// Packing documents into fixed-length rows as the Crammed BERT recipe does: each document ends
// with [SEP], the token stream is cut into rows of exactly seq_len tokens (no padding; rows cross
// document boundaries; the incomplete last row is dropped). Chunks move along with their tokens;
// a chunk cut by a row boundary is dropped and counted.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "dac/text/annotation_sidecar.hpp"
#include "dac/text/document_annotator.hpp"

namespace dac::text {

struct PackedRow {
  std::vector<std::int32_t> ids;               // exactly seq_len tokens
  std::vector<std::uint16_t> document_starts;  // positions where a document begins
  std::vector<Chunk> chunks;                   // positions within the row
};

struct PackingStats {
  std::uint64_t documents = 0;
  std::uint64_t tokens = 0;  // including the [SEP] added to each document
  std::uint64_t rows = 0;
  std::uint64_t chunks_kept = 0;
  std::uint64_t chunks_cut = 0;           // crossed a row boundary
  std::uint64_t dropped_tail_tokens = 0;  // the incomplete last row (after finish())
  // chunks_kept and chunks_cut per chunk type (index = type; as long as the largest type seen).
  std::vector<std::uint64_t> chunks_kept_by_type;
  std::vector<std::uint64_t> chunks_cut_by_type;
};

class RowPacker {
 public:
  using RowSink = std::function<void(PackedRow&&)>;
  RowPacker(std::size_t seq_len, std::int32_t sep_id, RowSink sink);

  // Appends one document's wordpieces (without [SEP]; it is added) and its chunks (indices into
  // `ids`); every completed row goes to the sink.
  void add_document(std::span<const std::int32_t> ids, std::span<const DocumentChunk> chunks);
  // Drops the incomplete last row (counted in dropped_tail_tokens) and its chunks.
  void finish();
  const PackingStats& stats() const { return stats_; }

 private:
  void emit_row();
  void count_chunk(std::uint16_t type, bool kept);
  std::size_t seq_len_;
  std::int32_t sep_id_;
  RowSink sink_;
  PackedRow current_;
  // Chunks of documents that started in the current row or earlier, still waiting for their row
  // to complete, as absolute stream positions.
  struct PendingChunk {
    std::uint16_t type;
    std::uint64_t controller, target;
    std::vector<std::uint64_t> members;
  };
  std::vector<PendingChunk> pending_;
  std::uint64_t stream_position_ = 0;  // absolute position of current_.ids.front()
  PackingStats stats_;
};

}  // namespace dac::text
