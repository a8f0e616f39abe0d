// Packing documents into fixed-length rows, with their chunks.
#include "dac/text/row_packer.hpp"

#include <algorithm>

namespace dac::text {

RowPacker::RowPacker(std::size_t seq_len, std::int32_t sep_id, RowSink sink)
    : seq_len_(seq_len), sep_id_(sep_id), sink_(std::move(sink)) {
  current_.ids.reserve(seq_len_);
}

void RowPacker::add_document(std::span<const std::int32_t> ids,
                             std::span<const DocumentChunk> chunks) {
  const std::uint64_t document_begin = stream_position_ + current_.ids.size();
  ++stats_.documents;
  for (const DocumentChunk& chunk : chunks) {
    PendingChunk pending{
        chunk.type, document_begin + chunk.controller, document_begin + chunk.target, {}};
    pending.members.reserve(chunk.members.size());
    for (std::uint32_t member : chunk.members) pending.members.push_back(document_begin + member);
    pending_.push_back(std::move(pending));
  }
  bool first = true;
  auto push = [&](std::int32_t id) {
    if (first) current_.document_starts.push_back(static_cast<std::uint16_t>(current_.ids.size()));
    first = false;
    current_.ids.push_back(id);
    ++stats_.tokens;
    if (current_.ids.size() == seq_len_) emit_row();
  };
  for (std::int32_t id : ids) push(id);
  push(sep_id_);
}

void RowPacker::emit_row() {
  const std::uint64_t row_begin = stream_position_;
  const std::uint64_t row_end = row_begin + seq_len_;
  std::vector<PendingChunk> still_pending;
  for (auto& chunk : pending_) {
    const auto [low, high] = std::minmax_element(chunk.members.begin(), chunk.members.end());
    const std::uint64_t first =
        std::min({chunk.controller, chunk.target, chunk.members.empty() ? chunk.controller : *low});
    const std::uint64_t last =
        std::max({chunk.controller, chunk.target, chunk.members.empty() ? chunk.target : *high});
    if (first >= row_end) {
      still_pending.push_back(std::move(chunk));
    } else if (first >= row_begin && last < row_end) {
      Chunk kept{chunk.type,
                 static_cast<std::uint16_t>(chunk.controller - row_begin),
                 static_cast<std::uint16_t>(chunk.target - row_begin),
                 {}};
      for (std::uint64_t member : chunk.members)
        kept.members.push_back(static_cast<std::uint16_t>(member - row_begin));
      current_.chunks.push_back(std::move(kept));
      count_chunk(chunk.type, true);
    } else {
      count_chunk(chunk.type, false);
    }
  }
  pending_ = std::move(still_pending);
  ++stats_.rows;
  sink_(std::move(current_));
  current_ = PackedRow{};
  current_.ids.reserve(seq_len_);
  stream_position_ = row_end;
}

void RowPacker::count_chunk(std::uint16_t type, bool kept) {
  ++(kept ? stats_.chunks_kept : stats_.chunks_cut);
  for (auto* counts : {&stats_.chunks_kept_by_type, &stats_.chunks_cut_by_type})
    if (counts->size() <= type) counts->resize(type + std::size_t{1}, 0);
  ++(kept ? stats_.chunks_kept_by_type : stats_.chunks_cut_by_type)[type];
}

void RowPacker::finish() {
  stats_.dropped_tail_tokens += current_.ids.size();
  for (const PendingChunk& chunk : pending_) count_chunk(chunk.type, false);
  pending_.clear();
  stream_position_ += current_.ids.size();
  current_ = PackedRow{};
}

}  // namespace dac::text
