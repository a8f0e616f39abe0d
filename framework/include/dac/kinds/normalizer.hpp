// Plugin kind `normalizer`: turns raw text into normalised pre-tokens (the words WordPiece then
// splits), each with the byte range of the raw text it came from.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dac {

struct PreToken {
  std::string text;   // normalised text of the pre-token
  std::size_t begin;  // [begin, end) byte range in the raw input
  std::size_t end;
};

class Normalizer {
 public:
  static constexpr std::string_view kind = "normalizer";
  virtual ~Normalizer() = default;
  virtual std::vector<PreToken> pre_tokenize(std::string_view raw) const = 0;
};

}  // namespace dac
