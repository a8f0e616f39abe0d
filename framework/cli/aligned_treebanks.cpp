// Two CoNLL-U files of the same words read side by side (see aligned_treebanks.hpp).
#include "aligned_treebanks.hpp"

#include <algorithm>

#include "dac/error.hpp"
#include "dac/syntax/conllu.hpp"

namespace dac::cli {

namespace {

std::string describe(const Sentence& sentence, std::uint64_t number) {
  const auto id = comment_value(sentence, "sent_id");
  return "sentence " + std::to_string(number) + (id ? " (sent_id " + *id + ")" : "");
}

constexpr const char* kSameWords =
    "; both files must hold the same sentences with the same words (e.g. a gold treebank and "
    "the same sentences parsed with gold tokenisation)";

}  // namespace

NumberedConlluReader::NumberedConlluReader(std::filesystem::path path)
    : path_(std::move(path)), in_(path_) {
  if (!in_) throw UserError("cannot open CoNLL-U file '" + path_.string() + "'");
}

bool NumberedConlluReader::next(Sentence& sentence) {
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in_, line)) {
    ++line_number_;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (lines.empty()) continue;
      break;
    }
    if (lines.empty()) first_line_ = line_number_;
    lines.push_back(std::move(line));
  }
  if (lines.empty()) return false;
  sentence = parse_conllu_sentence(lines, path_.string(), first_line_);
  return true;
}

std::uint64_t NumberedConlluReader::word_line(const Sentence& sentence, std::size_t index) const {
  const auto extra_before =
      std::count_if(sentence.extra_lines.begin(), sentence.extra_lines.end(),
                    [index](const ExtraLine& extra) { return extra.before <= index; });
  return first_line_ + sentence.comments.size() + static_cast<std::uint64_t>(extra_before) + index;
}

AlignedTreebanks::AlignedTreebanks(const std::filesystem::path& gold,
                                   const std::filesystem::path& system)
    : gold_(gold), system_(system) {}

bool AlignedTreebanks::next(Sentence& gold, Sentence& system) {
  const bool more_gold = gold_.next(gold);
  const bool more_system = system_.next(system);
  if (more_gold != more_system) {
    const NumberedConlluReader& longer = more_gold ? gold_ : system_;
    const NumberedConlluReader& shorter = more_gold ? system_ : gold_;
    throw UserError(longer.path().string() + ":" + std::to_string(longer.sentence_line()) + ": " +
                    describe(more_gold ? gold : system, sentences_ + 1) +
                    " has no counterpart: " + shorter.path().string() + " ends after " +
                    std::to_string(sentences_) + " sentences" + kSameWords);
  }
  if (!more_gold) return false;
  ++sentences_;
  check_same_words(gold, system);
  return true;
}

void AlignedTreebanks::check_same_words(const Sentence& gold, const Sentence& system) const {
  const std::size_t common = std::min(gold.words.size(), system.words.size());
  for (std::size_t i = 0; i < common; ++i) {
    if (gold.words[i].form == system.words[i].form) continue;
    throw UserError(system_.path().string() + ":" + std::to_string(system_.word_line(system, i)) +
                    ": " + describe(system, sentences_) + ", word " + std::to_string(i + 1) +
                    " is '" + system.words[i].form + "' but " + gold_.path().string() + ":" +
                    std::to_string(gold_.word_line(gold, i)) + " has '" + gold.words[i].form + "'" +
                    kSameWords);
  }
  if (gold.words.size() != system.words.size())
    throw UserError(system_.path().string() + ":" + std::to_string(system_.sentence_line()) + ": " +
                    describe(system, sentences_) + " has " + std::to_string(system.words.size()) +
                    " words but " + gold_.path().string() + ":" +
                    std::to_string(gold_.sentence_line()) + " has " +
                    std::to_string(gold.words.size()) + kSameWords);
}

}  // namespace dac::cli
