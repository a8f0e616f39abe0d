// The parser's vocabularies and word features: lower-cased word ids, hashed prefix/suffix ids and
// a word-shape id per word; the UPOS and relation label sets. Built from a training treebank and
// stored in the model file. No torch.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dac/parser/parser_config.hpp"
#include "dac/syntax/sentence.hpp"

namespace dac::parser {

inline constexpr std::size_t kAffixCount = 7;  // prefixes of 1-3 and suffixes of 1-4 characters
inline constexpr std::int64_t kShapeBuckets = 1024;

struct WordFeatures {
  std::int64_t word = 0;
  std::array<std::int64_t, kAffixCount> affixes{};
  std::int64_t shape = 0;
};

class ParserVocab {
 public:
  static constexpr std::int64_t kPadding = 0, kUnknown = 1, kRoot = 2;

  // Words seen at least `min_word_count` times, and every UPOS tag and relation of `treebank`.
  static ParserVocab build(const std::vector<Sentence>& treebank, const ParserConfig& config);

  // The features of one word form (the artificial root has word kRoot and zero affixes/shape).
  WordFeatures features(std::string_view form) const;
  static WordFeatures root_features();

  std::int64_t word_count() const { return static_cast<std::int64_t>(words_.size()) + 3; }
  const std::vector<std::string>& upos() const { return upos_; }
  const std::vector<std::string>& relations() const { return relations_; }
  // Index of a tag or relation; -1 when the training treebank never had it.
  std::int64_t upos_id(const std::string& tag) const;
  std::int64_t relation_id(const std::string& relation) const;

  // The model file keeps the vocabularies as metadata strings (one item per line).
  void write_metadata(std::map<std::string, std::string>& metadata) const;
  // A UserError naming `source` when a list is missing.
  static ParserVocab read_metadata(const std::map<std::string, std::string>& metadata,
                                   std::int64_t affix_buckets, const std::string& source);

  // The key words are looked up by: lower-cased, digits replaced by 0.
  static std::string word_key(std::string_view form);

 private:
  void index();
  std::vector<std::string> words_, upos_, relations_;
  std::unordered_map<std::string, std::int64_t> word_ids_;
  std::int64_t affix_buckets_ = 1;
};

}  // namespace dac::parser
