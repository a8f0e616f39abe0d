// A WordPiece vocabulary: tokens with ids (id = line number in vocab.txt) and the special tokens
// [PAD] [UNK] [CLS] [SEP] [MASK].
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dac::text {

class Vocab {
 public:
  // Loads vocab.txt: one token per line, a trailing newline accepted, CRLF line ends stripped.
  // UserError naming file:line for an unreadable or empty file, an empty line, a duplicate token
  // (naming both lines) or a missing special token.
  static Vocab load(const std::filesystem::path& path);

  // Token i gets id i. `source` names the vocabulary in error messages (lines are 1-based ids).
  explicit Vocab(std::vector<std::string> tokens, std::string source = "vocabulary");

  // Writes one token per line (the format `load` reads).
  void save(const std::filesystem::path& path) const;

  // The id of `token`, or -1 when absent.
  std::int32_t id(std::string_view token) const {
    const auto found = ids_.find(token);
    return found == ids_.end() ? -1 : found->second;
  }
  const std::string& token(std::int32_t id) const {
    return tokens_.at(static_cast<std::size_t>(id));
  }
  std::size_t size() const { return tokens_.size(); }
  const std::vector<std::string>& tokens() const { return tokens_; }

  std::int32_t pad() const { return pad_; }
  std::int32_t unk() const { return unk_; }
  std::int32_t cls() const { return cls_; }
  std::int32_t sep() const { return sep_; }
  std::int32_t mask() const { return mask_; }

  Vocab(const Vocab& other) : Vocab(other.tokens_, other.source_) {}
  Vocab& operator=(const Vocab& other);
  Vocab(Vocab&&) = default;
  Vocab& operator=(Vocab&&) = default;

 private:
  std::int32_t special(std::string_view name) const;

  std::string source_;
  std::vector<std::string> tokens_;
  // Keys view into tokens_ (their buffers do not move when the vector itself is moved).
  std::unordered_map<std::string_view, std::int32_t> ids_;
  std::int32_t pad_ = -1, unk_ = -1, cls_ = -1, sep_ = -1, mask_ = -1;
};

}  // namespace dac::text
