// WordPiece encoding: a byte trie per piece position (word start, continuation) finds the longest
// vocabulary piece in one pass over the word, with no per-piece allocation.
#include "dac/text/wordpiece.hpp"

#include <algorithm>
#include <array>

namespace dac::text {

namespace {

bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

// A byte trie over vocabulary pieces. Each node's children are contiguous edges sorted by byte;
// the root's children are a direct 256-entry table.
class PieceTrie {
 public:
  struct Key {
    std::string_view bytes;
    std::int32_t id;
  };

  explicit PieceTrie(std::vector<Key> keys) {
    std::sort(keys.begin(), keys.end(),
              [](const Key& a, const Key& b) { return a.bytes < b.bytes; });
    root_children_.fill(kNone);
    if (keys.empty()) return;  // e.g. a vocabulary without continuation pieces
    build(keys, 0, keys.size(), 0);
    for (std::uint32_t e = nodes_[0].first; e < nodes_[0].first + nodes_[0].count; ++e)
      root_children_[labels_[e]] = targets_[e];
  }

  // The length of the longest piece that starts text[pos...] and ends on a character boundary
  // (0 when none); its id goes to `id`.
  std::size_t longest_prefix(std::string_view text, std::size_t pos, std::int32_t& id) const {
    std::size_t best = 0;
    std::uint32_t node = root_children_[static_cast<unsigned char>(text[pos])];
    for (std::size_t i = pos + 1; node != kNone; ++i) {
      const std::int32_t node_id = nodes_[node].id;
      if (node_id >= 0 && (i == text.size() || !is_continuation_byte(text[i]))) {
        best = i - pos;
        id = node_id;
      }
      if (i == text.size()) break;
      node = child(node, static_cast<unsigned char>(text[i]));
    }
    return best;
  }

 private:
  static constexpr std::uint32_t kNone = 0xFFFFFFFF;

  struct Node {
    std::int32_t id = -1;     // the piece ending here, or -1
    std::uint32_t first = 0;  // first edge
    std::uint32_t count = 0;  // number of edges
  };

  std::uint32_t child(std::uint32_t node, unsigned char byte) const {
    const Node& n = nodes_[node];
    const unsigned char* labels = labels_.data() + n.first;
    for (std::uint32_t e = 0; e < n.count; ++e)
      if (labels[e] == byte) return targets_[n.first + e];
    return kNone;
  }

  // Builds the node for keys[lo, hi), which share their first `depth` bytes; returns its index.
  std::uint32_t build(const std::vector<Key>& keys, std::size_t lo, std::size_t hi,
                      std::size_t depth) {
    const auto node = static_cast<std::uint32_t>(nodes_.size());
    nodes_.emplace_back();
    if (keys[lo].bytes.size() == depth) nodes_[node].id = keys[lo++].id;
    std::vector<std::pair<std::size_t, std::size_t>> groups;
    for (std::size_t start = lo; start < hi;) {
      std::size_t end = start + 1;
      while (end < hi && keys[end].bytes[depth] == keys[start].bytes[depth]) ++end;
      groups.emplace_back(start, end);
      start = end;
    }
    nodes_[node].first = static_cast<std::uint32_t>(labels_.size());
    nodes_[node].count = static_cast<std::uint32_t>(groups.size());
    for (const auto& [start, end] : groups) {
      labels_.push_back(static_cast<unsigned char>(keys[start].bytes[depth]));
      targets_.push_back(kNone);
    }
    const std::uint32_t first = nodes_[node].first;
    for (std::size_t g = 0; g < groups.size(); ++g)
      targets_[first + g] = build(keys, groups[g].first, groups[g].second, depth + 1);
    return node;
  }

  std::vector<Node> nodes_;
  std::vector<unsigned char> labels_;
  std::vector<std::uint32_t> targets_;
  std::array<std::uint32_t, 256> root_children_;
};

WordPieceEncoder::WordPieceEncoder(const Vocab& vocab, std::size_t max_input_chars_per_word,
                                   std::string continuation)
    : vocab_(&vocab), max_chars_(max_input_chars_per_word) {
  std::vector<PieceTrie::Key> initial;
  std::vector<PieceTrie::Key> continued;
  initial.reserve(vocab.size());
  for (std::size_t i = 0; i < vocab.size(); ++i) {
    const std::string_view token = vocab.tokens()[i];
    const auto id = static_cast<std::int32_t>(i);
    initial.push_back({token, id});
    if (token.starts_with(continuation) && token.size() > continuation.size())
      continued.push_back({token.substr(continuation.size()), id});
  }
  initial_ = std::make_unique<PieceTrie>(std::move(initial));
  continuation_ = std::make_unique<PieceTrie>(std::move(continued));
}

WordPieceEncoder::~WordPieceEncoder() = default;
WordPieceEncoder::WordPieceEncoder(WordPieceEncoder&&) noexcept = default;
WordPieceEncoder& WordPieceEncoder::operator=(WordPieceEncoder&&) noexcept = default;

bool WordPieceEncoder::encode_word(const PreToken& word, bool byte_offsets, Encoded& out) const {
  const std::size_t old_size = out.ids.size();
  const std::string_view text = word.text;
  for (std::size_t pos = 0; pos < text.size();) {
    std::int32_t id = -1;
    const std::size_t length = (pos == 0 ? initial_ : continuation_)->longest_prefix(text, pos, id);
    if (length == 0) {
      out.ids.resize(old_size);
      out.offsets.resize(old_size);
      return false;
    }
    out.ids.push_back(id);
    if (byte_offsets)
      out.offsets.emplace_back(word.begin + pos, word.begin + pos + length);
    else
      out.offsets.emplace_back(word.begin, word.end);
    pos += length;
  }
  return true;
}

void WordPieceEncoder::encode(const std::vector<PreToken>& words, Encoded& out) const {
  for (const PreToken& word : words) {
    if (word.text.empty()) continue;
    unsigned char all_bytes = 0;
    for (const char c : word.text) all_bytes |= static_cast<unsigned char>(c);
    const bool ascii = all_bytes < 0x80;
    std::size_t chars = word.text.size();
    if (!ascii) chars -= std::count_if(word.text.begin(), word.text.end(), is_continuation_byte);
    const bool byte_offsets = ascii && word.text.size() == word.end - word.begin;
    if (chars > max_chars_ || !encode_word(word, byte_offsets, out)) {
      out.ids.push_back(vocab_->unk());
      out.offsets.emplace_back(word.begin, word.end);
    }
  }
}

WordPieceEncoder::Encoded WordPieceEncoder::encode_text(const Normalizer& normalizer,
                                                        std::string_view raw) const {
  Encoded out;
  encode(normalizer.pre_tokenize(raw), out);
  return out;
}

}  // namespace dac::text
