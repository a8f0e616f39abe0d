// Alignment of agreement chunks (word indices of a parsed sentence) to wordpiece positions, through
// the byte offsets both keep into the same raw text: every wordpiece that overlaps a chunk word
// belongs to the chunk, so a wordpiece may belong to several words and several chunks.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "dac/syntax/sentence.hpp"
#include "dac/text/document_annotator.hpp"

namespace dac::text {

using ByteRange = std::pair<std::uint32_t, std::uint32_t>;  // [begin, end) in the raw text

// For each word of `sentence` (Word::begin/end into the raw text), the ascending indices of the
// wordpieces in `pieces` (sorted by begin, as the encoder produces them) that overlap it. A word
// without offsets, or one no wordpiece overlaps (text the normaliser dropped), gets none.
std::vector<std::vector<std::uint32_t>> word_pieces(const Sentence& sentence,
                                                    const std::vector<ByteRange>& pieces);

// The chunk over wordpieces, or nothing when the controller or the target has no wordpiece.
// Members are the union of the members' pieces, ascending; controller/target are the first piece
// of the controller/target word.
std::optional<DocumentChunk> align_chunk(const Chunk& chunk, std::uint16_t type,
                                         const std::vector<std::vector<std::uint32_t>>& pieces);

}  // namespace dac::text
