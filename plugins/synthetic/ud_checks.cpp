// UD rules over gold trees, independent of how the trees were made.
#include "ud_checks.hpp"

#include <algorithm>

namespace dac::synthetic {

namespace {

constexpr std::array<std::string_view, 17> kUpos = {
    "ADJ",  "ADP",  "ADV",   "AUX",   "CCONJ", "DET", "INTJ", "NOUN", "NUM",
    "PART", "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X"};

constexpr std::array<std::string_view, 37> kRelations = {
    "acl",       "advcl",      "advmod",   "amod",     "appos", "aux",      "case",   "cc",
    "ccomp",     "clf",        "compound", "conj",     "cop",   "csubj",    "dep",    "det",
    "discourse", "dislocated", "expl",     "fixed",    "flat",  "goeswith", "iobj",   "list",
    "mark",      "nmod",       "nsubj",    "nummod",   "obj",   "obl",      "orphan", "parataxis",
    "punct",     "reparandum", "root",     "vocative", "xcomp"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& set, std::string_view value) {
  return std::find(set.begin(), set.end(), value) != set.end();
}

std::string_view universal(std::string_view deprel) {
  return deprel.substr(0, deprel.find(':'));
}

bool is_nominal(const Word& word) {
  return word.upos == "NOUN" || word.upos == "PROPN" || word.upos == "PRON";
}

bool reaches_root(const Sentence& sentence, int word) {
  for (std::size_t steps = 0; steps <= sentence.words.size(); ++steps) {
    word = sentence.words[word].head;
    if (word < 0) return true;
  }
  return false;
}

void check_word(const Sentence& sentence, int i, std::vector<std::string>& problems) {
  const Word& word = sentence.words[i];
  const std::string at = "word " + std::to_string(i + 1) + " '" + word.form + "': ";
  const int size = static_cast<int>(sentence.words.size());
  if (!contains(kUpos, word.upos)) problems.push_back(at + "UPOS '" + word.upos + "' is not UD");
  if (!contains(kRelations, universal(word.deprel)))
    problems.push_back(at + "relation '" + word.deprel + "' is not UD");
  if (word.head < -1 || word.head >= size || word.head == i)
    problems.push_back(at + "head " + std::to_string(word.head) + " out of range");
  else if ((word.head == -1) != (word.deprel == "root"))
    problems.push_back(at + "only the root has relation 'root' and no head");
  else if (!reaches_root(sentence, i))
    problems.push_back(at + "on a cycle");
  if (word.begin > word.end || word.end > sentence.text.size() ||
      sentence.text.compare(word.begin, word.end - word.begin, word.form) != 0)
    problems.push_back(at + "offsets do not cut the form out of the text");
}

// The Number of a subject: its own, or for a relative pronoun the noun its clause modifies.
std::string_view subject_number(const Sentence& sentence, const Word& subject) {
  std::string_view number = feature(subject.feats, "Number");
  if (!number.empty() || subject.upos != "PRON" || subject.head < 0) return number;
  const Word& predicate = sentence.words[subject.head];
  if (predicate.deprel != "acl:relcl" || predicate.head < 0) return number;
  return feature(sentence.words[predicate.head].feats, "Number");
}

bool shows_number(const Word& word) {
  return (word.upos == "VERB" || word.upos == "AUX") && !feature(word.feats, "Number").empty();
}

}  // namespace

std::vector<std::string> tree_problems(const Sentence& sentence) {
  std::vector<std::string> problems;
  const int roots = static_cast<int>(std::count_if(sentence.words.begin(), sentence.words.end(),
                                                   [](const Word& w) { return w.head == -1; }));
  if (roots != 1) problems.push_back(std::to_string(roots) + " roots");
  for (int i = 0; i < static_cast<int>(sentence.words.size()); ++i)
    check_word(sentence, i, problems);
  return problems;
}

std::string_view feature(std::string_view feats, std::string_view name) {
  std::size_t start = 0;
  while (start < feats.size()) {
    std::size_t end = feats.find('|', start);
    if (end == std::string_view::npos) end = feats.size();
    const std::string_view item = feats.substr(start, end - start);
    if (item.size() > name.size() && item.substr(0, name.size()) == name &&
        item[name.size()] == '=')
      return item.substr(name.size() + 1);
    start = end + 1;
  }
  return {};
}

int count_attractors(const Sentence& sentence, int a, int b, std::string_view number) {
  int count = 0;
  for (int i = std::min(a, b) + 1; i < std::max(a, b); ++i) {
    const Word& word = sentence.words[i];
    const std::string_view other = feature(word.feats, "Number");
    if (is_nominal(word) && !other.empty() && other != number) ++count;
  }
  return count;
}

std::vector<SubjectVerbPair> subject_verb_pairs(const Sentence& sentence) {
  std::vector<SubjectVerbPair> pairs;
  const int size = static_cast<int>(sentence.words.size());
  for (int s = 0; s < size; ++s) {
    const Word& subject = sentence.words[s];
    if (universal(subject.deprel) != "nsubj" || !is_nominal(subject) || subject.head < 0) continue;
    const std::string_view number = subject_number(sentence, subject);
    if (number.empty()) continue;
    for (int c = 0; c < size; ++c) {
      const Word& carrier = sentence.words[c];
      const bool in_predicate =
          c == subject.head || (carrier.head == subject.head &&
                                (universal(carrier.deprel) == "aux" || carrier.deprel == "cop"));
      if (!in_predicate || !shows_number(carrier)) continue;
      pairs.push_back({s, c, std::string(number), std::string(feature(carrier.feats, "Number")),
                       count_attractors(sentence, s, c, number)});
    }
  }
  return pairs;
}

std::array<std::uint64_t, 4> count_agreements(const Sentence& sentence) {
  std::array<std::uint64_t, 4> counts{};
  for (const Word& word : sentence.words) {
    const std::string_view relation = universal(word.deprel);
    const bool head_is_verb = word.head >= 0 && sentence.words[word.head].upos == "VERB";
    if (relation == "nsubj" && is_nominal(word)) ++counts[0];
    if ((relation == "obj" || relation == "iobj") && is_nominal(word) && head_is_verb) ++counts[1];
    if (relation == "amod" && word.upos == "ADJ") ++counts[2];
    if (relation == "det" && word.upos == "DET") ++counts[3];
  }
  return counts;
}

}  // namespace dac::synthetic
