// The lexicon of the synthetic grammar: word classes (the grammar's terminals), each with its UD
// part of speech, its paradigm (which form and FEATS a set of feature values selects) and words.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dac::synthetic {

// Forms a missing column by rule from a word's first form: "plural" (-s, -es, -ies; also the
// third person singular), "past" (-ed, -d, -ied) or "same" (a copy).
std::string inflect(std::string_view base, std::string_view rule);

// Joins two FEATS strings ("A=x|B=y") into one, sorted by feature name; "" and "_" are empty.
std::string merge_feats(std::string_view a, std::string_view b);

struct LexicalEntry {
  std::string lemma;
  std::vector<std::string> forms;  // one per column; "" = the word has no such form
  std::string feats;               // the word's own features, merged into its slot's
};

struct Slot {
  std::vector<std::string> pattern;  // one value per argument; "*" matches any
  int column = 0;
  std::string feats;
  std::vector<int> entries;  // the words that have a form in `column`
};

struct WordClass {
  std::string name;
  std::string upos;
  bool space_before = true;
  // Forms replaced before a word that starts with a vowel letter, e.g. a -> an.
  std::vector<std::pair<std::string, std::string>> before_vowel;
  std::vector<Slot> slots;
  std::vector<LexicalEntry> entries;

  // The first slot whose pattern matches `values`; -1 when none does.
  int find_slot(const std::vector<std::string_view>& values) const;
};

struct Lexicon {
  std::vector<WordClass> classes;

  // Index of the class called `name`; -1 when there is none.
  int find(std::string_view name) const;
  // Number of distinct forms over every class.
  std::size_t form_count() const;
};

// Reads a lexicon file (format: the comment block at the top of configs/grammar/lexicon.toml).
// Errors are UserErrors naming the file, the class and the line.
Lexicon load_lexicon(const std::filesystem::path& path);

}  // namespace dac::synthetic
