// The options of the `agreements` annotator: where the parse comes from (a parser plugin or the
// CoNLL-U files of an externally parsed corpus) and which agreement extractors run on it.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "conllu_documents.hpp"
#include "dac/options.hpp"

namespace dac::annotation {

struct AgreementOptions {
  std::optional<ConfigNode> parser;           // a parser plugin table (with `name`)
  std::vector<std::filesystem::path> conllu;  // or the CoNLL-U files, in corpus order
  ConlluPairing pairing = ConlluPairing::automatic;
  std::vector<ConfigNode> extractors;  // extractor plugin tables (with `name`), in type order

  static ConfigSchema schema();
  // Exactly one of `parser` and `conllu`; extractors as tables or plain names.
  static AgreementOptions read(const Options& options);
};

// The extractors used when the options name none: the method's default four.
const std::vector<std::string>& default_extractors();

}  // namespace dac::annotation
