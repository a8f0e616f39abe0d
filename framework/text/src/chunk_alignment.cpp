// Alignment of agreement chunks to wordpieces: one two-pointer walk over the words' and the
// wordpieces' byte ranges, then the union of the pieces of a chunk's words.
#include "dac/text/chunk_alignment.hpp"

#include <algorithm>
#include <string>

namespace dac::text {

namespace {

bool has_offsets(const Word& word) {
  return word.begin != std::string::npos && word.end != std::string::npos && word.begin < word.end;
}

// The first piece that does not end at or before `begin` (pieces end in ascending order).
std::size_t first_piece_ending_after(const std::vector<ByteRange>& pieces, std::size_t begin) {
  return static_cast<std::size_t>(
      std::partition_point(pieces.begin(), pieces.end(),
                           [begin](const ByteRange& piece) { return piece.second <= begin; }) -
      pieces.begin());
}

}  // namespace

std::vector<std::vector<std::uint32_t>> word_pieces(const Sentence& sentence,
                                                    const std::vector<ByteRange>& pieces) {
  std::vector<std::vector<std::uint32_t>> result(sentence.words.size());
  std::size_t first = 0;  // no piece before it overlaps the current word or any later one
  std::size_t previous_begin = 0;
  for (std::size_t w = 0; w < sentence.words.size(); ++w) {
    const Word& word = sentence.words[w];
    if (!has_offsets(word)) continue;
    // Words normally come in text order; one that starts earlier restarts the walk.
    if (word.begin < previous_begin) first = first_piece_ending_after(pieces, word.begin);
    previous_begin = word.begin;
    while (first < pieces.size() && pieces[first].second <= word.begin) ++first;
    // A piece that overlaps this word may overlap the next one too, so `first` stays on it.
    for (std::size_t p = first; p < pieces.size() && pieces[p].first < word.end; ++p)
      if (pieces[p].second > word.begin && pieces[p].first < pieces[p].second)
        result[w].push_back(static_cast<std::uint32_t>(p));
  }
  return result;
}

std::optional<DocumentChunk> align_chunk(const Chunk& chunk, std::uint16_t type,
                                         const std::vector<std::vector<std::uint32_t>>& pieces) {
  const auto pieces_of = [&](int word) -> const std::vector<std::uint32_t>* {
    if (word < 0 || static_cast<std::size_t>(word) >= pieces.size()) return nullptr;
    return &pieces[static_cast<std::size_t>(word)];
  };
  const auto* controller = pieces_of(chunk.controller);
  const auto* target = pieces_of(chunk.target);
  if (!controller || !target || controller->empty() || target->empty()) return std::nullopt;

  DocumentChunk aligned;
  aligned.type = type;
  aligned.controller = controller->front();
  aligned.target = target->front();
  for (const int member : chunk.members)
    if (const auto* own = pieces_of(member))
      aligned.members.insert(aligned.members.end(), own->begin(), own->end());
  std::sort(aligned.members.begin(), aligned.members.end());
  aligned.members.erase(std::unique(aligned.members.begin(), aligned.members.end()),
                        aligned.members.end());
  return aligned;
}

}  // namespace dac::text
