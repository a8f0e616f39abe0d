// The built-in normalisers: BERT's uncased BasicTokenizer and the Crammed BERT recipe. Each
// pre-token keeps the byte range of the raw characters it came from.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dac/kinds/normalizer.hpp"

namespace dac::text {

// BERT's BasicTokenizer with do_lower_case=True: drops U+0000, U+FFFD and control/format
// characters, spaces out CJK ideographs, splits on whitespace, lowercases, strips accents (NFD,
// then drops Mn) and makes every punctuation character its own pre-token.
class BertUncasedNormalizer final : public dac::Normalizer {
 public:
  std::vector<PreToken> pre_tokenize(std::string_view raw) const override;
};

// The Crammed BERT recipe: `` and '' become ", NFD, lowercase, strip accents, every non-ASCII
// character deleted; then runs of \w ([A-Za-z0-9_]) and runs of other non-space characters.
class CrammedNormalizer final : public dac::Normalizer {
 public:
  std::vector<PreToken> pre_tokenize(std::string_view raw) const override;
};

// The normaliser called `name` ("bert_uncased" or "crammed"); UserError for any other name.
std::unique_ptr<dac::Normalizer> make_normalizer(const std::string& name);
// The names make_normalizer accepts.
std::vector<std::string> normalizer_names();

}  // namespace dac::text
