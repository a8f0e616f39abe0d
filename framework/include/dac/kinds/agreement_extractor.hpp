// Plugin kind `agreement_extractor`: finds one type of dependency agreement (subject-verb,
// determiner-noun, ...) in a parsed sentence. No torch: extractors are plain C++.
#pragma once

#include <string_view>
#include <vector>

#include "dac/syntax/sentence.hpp"

namespace dac {

class AgreementExtractor {
 public:
  static constexpr std::string_view kind = "agreement_extractor";
  virtual ~AgreementExtractor() = default;

  // The agreement type its chunks belong to, e.g. "subject_verb".
  virtual std::string_view type() const = 0;
  // Every instance of the agreement in `sentence`. Must be deterministic and thread-safe.
  virtual std::vector<Chunk> extract(const Sentence& sentence) const = 0;
};

}  // namespace dac
