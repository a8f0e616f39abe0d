// Word features and label sets of the built-in parser.
#include "dac/parser/parser_vocab.hpp"

#include <algorithm>
#include <set>

#include "dac/error.hpp"

namespace dac::parser {

namespace {

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t seed) {
  std::uint64_t hash = 1469598103934665603ull ^ (seed * 0x9E3779B97F4A7C15ull);
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

// Byte offsets where each UTF-8 character of `text` starts, plus text.size().
std::vector<std::size_t> character_starts(std::string_view text) {
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts.push_back(i);
  starts.push_back(text.size());
  return starts;
}

// "Xxxx" -> "Xx", "1,000" -> "d,d", "U.S." -> "X.X.": character classes with runs of more than
// two collapsed, at most 8 characters.
std::string word_shape(std::string_view form) {
  std::string shape;
  char last = 0;
  int run = 0;
  for (unsigned char c : form) {
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    char cls = c >= 0x80                ? 'x'
               : (c >= 'A' && c <= 'Z') ? 'X'
               : (c >= 'a' && c <= 'z') ? 'x'
               : (c >= '0' && c <= '9') ? 'd'
                                        : static_cast<char>(c);
    run = cls == last ? run + 1 : 1;
    last = cls;
    if (run <= 2) shape += cls;
    if (shape.size() >= 8) break;
  }
  return shape;
}

std::string join_lines(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += item + "\n";
  return text;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> items;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    items.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return items;
}

std::int64_t index_of(const std::vector<std::string>& items, const std::string& item) {
  auto found = std::find(items.begin(), items.end(), item);
  return found == items.end() ? -1 : found - items.begin();
}

}  // namespace

std::string ParserVocab::word_key(std::string_view form) {
  std::string key(form);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c >= '0' && c <= '9') c = '0';
  }
  return key;
}

ParserVocab ParserVocab::build(const std::vector<Sentence>& treebank, const ParserConfig& config) {
  std::unordered_map<std::string, std::int64_t> counts;
  std::set<std::string> upos, relations;
  for (const Sentence& sentence : treebank)
    for (const Word& word : sentence.words) {
      ++counts[word_key(word.form)];
      upos.insert(word.upos);
      relations.insert(word.deprel);
    }
  ParserVocab vocab;
  for (const auto& [key, count] : counts)
    if (count >= config.min_word_count) vocab.words_.push_back(key);
  std::sort(vocab.words_.begin(), vocab.words_.end());
  vocab.upos_.assign(upos.begin(), upos.end());
  vocab.relations_.assign(relations.begin(), relations.end());
  vocab.affix_buckets_ = std::max<std::int64_t>(1, config.affix_buckets);
  vocab.index();
  return vocab;
}

void ParserVocab::index() {
  word_ids_.clear();
  for (std::size_t i = 0; i < words_.size(); ++i)
    word_ids_.emplace(words_[i], static_cast<std::int64_t>(i) + 3);
}

WordFeatures ParserVocab::features(std::string_view form) const {
  WordFeatures features;
  const std::string key = word_key(form);
  auto found = word_ids_.find(key);
  features.word = found == word_ids_.end() ? kUnknown : found->second;
  const auto starts = character_starts(key);
  const std::size_t characters = starts.size() - 1;
  std::size_t slot = 0;
  for (std::size_t length = 1; length <= 3; ++length, ++slot) {
    const std::size_t end = starts[std::min(length, characters)];
    features.affixes[slot] =
        static_cast<std::int64_t>(fnv1a(std::string_view(key).substr(0, end), slot) %
                                  static_cast<std::uint64_t>(affix_buckets_));
  }
  for (std::size_t length = 1; length <= 4; ++length, ++slot) {
    const std::size_t begin = starts[characters - std::min(length, characters)];
    features.affixes[slot] =
        static_cast<std::int64_t>(fnv1a(std::string_view(key).substr(begin), slot) %
                                  static_cast<std::uint64_t>(affix_buckets_));
  }
  features.shape = static_cast<std::int64_t>(fnv1a(word_shape(form), 99) % kShapeBuckets);
  return features;
}

WordFeatures ParserVocab::root_features() {
  WordFeatures features;
  features.word = kRoot;
  return features;
}

std::int64_t ParserVocab::upos_id(const std::string& tag) const {
  return index_of(upos_, tag);
}
std::int64_t ParserVocab::relation_id(const std::string& relation) const {
  return index_of(relations_, relation);
}

void ParserVocab::write_metadata(std::map<std::string, std::string>& metadata) const {
  metadata["words"] = join_lines(words_);
  metadata["upos"] = join_lines(upos_);
  metadata["relations"] = join_lines(relations_);
}

ParserVocab ParserVocab::read_metadata(const std::map<std::string, std::string>& metadata,
                                       std::int64_t affix_buckets, const std::string& source) {
  ParserVocab vocab;
  for (auto [key, list] : {std::pair{"words", &vocab.words_}, std::pair{"upos", &vocab.upos_},
                           std::pair{"relations", &vocab.relations_}}) {
    auto found = metadata.find(key);
    if (found == metadata.end())
      throw UserError(source + ": not a parser model: the metadata has no '" + key + "' list");
    *list = split_lines(found->second);
  }
  vocab.affix_buckets_ = std::max<std::int64_t>(1, affix_buckets);
  vocab.index();
  return vocab;
}

}  // namespace dac::parser
