// Plugin kind `parser`: segments raw text into sentences and gives each a dependency tree, with
// word offsets into the text it was given.
#pragma once

#include <string_view>
#include <vector>

#include "dac/syntax/sentence.hpp"

namespace dac {

class Parser {
 public:
  static constexpr std::string_view kind = "parser";
  virtual ~Parser() = default;
  // Word offsets (Word::begin/end) are byte offsets into `text`. Must be thread-safe.
  virtual std::vector<Sentence> parse(std::string_view text) const = 0;
};

}  // namespace dac
