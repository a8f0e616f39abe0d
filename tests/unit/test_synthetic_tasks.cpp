// Tests of the synthetic agreement tasks: determinism, and labels re-derived from the gold trees
// by ud_checks alone (agreement, one edited word, attractor distances, balance, and the
// sentence-pair kinds: subject and object exchanged, adjectives reordered).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>

#include "generator.hpp"
#include "tasks.hpp"
#include "ud_checks.hpp"

namespace dac::synthetic {
namespace {

const GrammarSpec& task_grammar() {
  static const GrammarSpec grammar =
      load_grammar(default_grammar_dir() / "english.toml", default_grammar_dir() / "lexicon.toml");
  return grammar;
}

const TaskSet& built_tasks() {
  static const TaskSet tasks =
      make_tasks(SyntheticGenerator(task_grammar(), 3), TaskOptions{.examples = 600});
  return tasks;
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string written(const TaskSet& tasks, const std::filesystem::path& dir) {
  write_tasks(tasks, dir);
  std::string all;
  for (const char* file : {"acceptability/train.tsv", "acceptability/dev.tsv", "pairs/train.tsv",
                           "pairs/dev.tsv", "minimal_pairs.jsonl"})
    all += read_all(dir / file) + '\x1e';
  return all;
}

// The words at which two trees differ.
std::vector<int> differing_words(const Sentence& a, const Sentence& b) {
  std::vector<int> words;
  if (a.words.size() != b.words.size()) return {-1};
  for (std::size_t i = 0; i < a.words.size(); ++i)
    if (a.words[i].form != b.words[i].form || a.words[i].feats != b.words[i].feats)
      words.push_back(static_cast<int>(i));
  return words;
}

// Whether word w's Number disagrees with what controls it: a subject for a verb or aux/cop, the
// head noun for a determiner.
bool mismatches_controller(const Sentence& sentence, int w) {
  for (const SubjectVerbPair& pair : subject_verb_pairs(sentence))
    if (pair.carrier == w && pair.carrier_number != pair.subject_number) return true;
  const Word& word = sentence.words[w];
  if (word.deprel == "det" && word.head >= 0) {
    const std::string_view number = feature(word.feats, "Number");
    const std::string_view noun = feature(sentence.words[word.head].feats, "Number");
    return !number.empty() && !noun.empty() && number != noun;
  }
  return false;
}

// Whitespace tokens of a text.
std::vector<std::string> tokens(const std::string& text) {
  std::istringstream in(text);
  return {std::istream_iterator<std::string>(in), std::istream_iterator<std::string>()};
}

TEST(SyntheticTasks, SameSeedSameFiles) {
  const auto root = std::filesystem::temp_directory_path() / "dac_synthetic_tasks_test";
  std::filesystem::remove_all(root);
  const TaskOptions options{.examples = 200, .split_seed = 5};
  const std::string a =
      written(make_tasks(SyntheticGenerator(task_grammar(), 11), options), root / "a");
  const std::string b =
      written(make_tasks(SyntheticGenerator(task_grammar(), 11), options), root / "b");
  const std::string c =
      written(make_tasks(SyntheticGenerator(task_grammar(), 12), options), root / "c");
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_FALSE(read_all(root / "a" / "acceptability" / "dev.tsv").empty());
  EXPECT_EQ(
      read_all(root / "a" / "pairs" / "train.tsv").rfind("index\tsentence1\tsentence2\tlabel\n", 0),
      0u);
  std::filesystem::remove_all(root);
}

TEST(SyntheticTasks, AcceptabilityLabelsFollowTheTrees) {
  const TaskSet& tasks = built_tasks();
  ASSERT_EQ(tasks.acceptability.size(), 600u);
  int good = 0, dev = 0;
  for (const AcceptabilityExample& example : tasks.acceptability) {
    const Sentence& sentence = example.sentence;
    ASSERT_TRUE(tree_problems(sentence).empty()) << sentence.text;
    ASSERT_FALSE(subject_verb_pairs(example.source).empty()) << example.source.text;
    dev += example.dev;
    if (example.label == 1) {
      ++good;
      EXPECT_TRUE(agreement_holds(sentence)) << sentence.text;
      EXPECT_EQ(sentence.text, example.source.text);
      continue;
    }
    EXPECT_TRUE(agreement_holds(example.source)) << example.source.text;
    EXPECT_FALSE(agreement_holds(sentence)) << sentence.text;
    const std::vector<int> words = differing_words(example.source, sentence);
    ASSERT_EQ(words.size(), 1u) << sentence.text;
    EXPECT_TRUE(mismatches_controller(sentence, words[0])) << sentence.text;
    EXPECT_NE(sentence.text, example.source.text);
  }
  EXPECT_EQ(good, 300);
  EXPECT_NEAR(dev, 60, 1);
}

TEST(SyntheticTasks, MinimalPairsDifferInOneAgreeingWord) {
  const TaskSet& tasks = built_tasks();
  ASSERT_EQ(tasks.minimal_pairs.size(), 600u);
  int subject_verb = 0;
  for (const MinimalPair& pair : tasks.minimal_pairs) {
    EXPECT_TRUE(agreement_holds(pair.good)) << pair.good.text;
    EXPECT_FALSE(agreement_holds(pair.bad)) << pair.bad.text;
    const std::vector<std::string> good = tokens(pair.good.text), bad = tokens(pair.bad.text);
    ASSERT_EQ(good.size(), bad.size()) << pair.bad.text;
    int differing = 0;
    for (std::size_t i = 0; i < good.size(); ++i) differing += good[i] != bad[i];
    EXPECT_EQ(differing, 1) << pair.good.text << " / " << pair.bad.text;
    const std::vector<int> words = differing_words(pair.good, pair.bad);
    ASSERT_EQ(words.size(), 1u);
    EXPECT_TRUE(mismatches_controller(pair.bad, words[0])) << pair.bad.text;
    // The attractor distance, re-derived from the good tree.
    const int w = words[0];
    const Word& word = pair.good.words[w];
    int controller = word.head;
    std::string number;
    if (pair.agreement_type == "subject_verb") {
      ++subject_verb;
      for (const SubjectVerbPair& sv : subject_verb_pairs(pair.good))
        if (sv.carrier == w) controller = sv.subject, number = sv.subject_number;
    } else {
      EXPECT_EQ(pair.agreement_type, "determiner_noun");
      number = feature(pair.good.words[controller].feats, "Number");
    }
    ASSERT_GE(controller, 0) << pair.good.text;
    EXPECT_EQ(pair.attractor_distance, count_attractors(pair.good, controller, w, number))
        << pair.good.text;
  }
  EXPECT_GT(subject_verb, 100);
  EXPECT_LT(subject_verb, 600);  // determiner-noun pairs occur too
}

std::string lowered(std::string form) {
  if (!form.empty()) form[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(form[0])));
  return form;
}

int root_of(const Sentence& sentence) {
  for (std::size_t i = 0; i < sentence.words.size(); ++i)
    if (sentence.words[i].head == -1) return static_cast<int>(i);
  return -1;
}

// The root's only dependent with relation `deprel`, or -1.
int root_dependent(const Sentence& sentence, std::string_view deprel) {
  int found = -1;
  const int root = root_of(sentence);
  for (std::size_t i = 0; i < sentence.words.size(); ++i)
    if (sentence.words[i].head == root && sentence.words[i].deprel == deprel) {
      if (found >= 0) return -1;
      found = static_cast<int>(i);
    }
  return found;
}

bool dominates(const Sentence& sentence, int top, int w) {
  for (std::size_t steps = 0; w >= 0 && steps <= sentence.words.size(); ++steps) {
    if (w == top) return true;
    w = sentence.words[w].head;
  }
  return false;
}

// The subtree of `top` in word order: (form with a lowercase first letter, relation) per word,
// with the subtree's own relation left out.
std::vector<std::pair<std::string, std::string>> subtree(const Sentence& sentence, int top) {
  std::vector<std::pair<std::string, std::string>> words;
  for (std::size_t i = 0; i < sentence.words.size(); ++i)
    if (dominates(sentence, top, static_cast<int>(i)))
      words.emplace_back(lowered(sentence.words[i].form),
                         static_cast<int>(i) == top ? "" : sentence.words[i].deprel);
  return words;
}

// Every word as (form, UPOS, FEATS, relation, its head's form): equal for two trees that differ
// only in word order among dependents whose heads keep their forms.
std::vector<std::string> tree_multiset(const Sentence& sentence) {
  std::vector<std::string> items;
  for (const Word& word : sentence.words)
    items.push_back(lowered(word.form) + '\t' + word.upos + '\t' + word.feats + '\t' + word.deprel +
                    '\t' + (word.head < 0 ? "" : lowered(sentence.words[word.head].form)));
  std::sort(items.begin(), items.end());
  return items;
}

void expect_roles_swapped(const SentencePairExample& example) {
  const Sentence& first = example.first;
  const Sentence& second = example.second;
  const int subject = root_dependent(first, "nsubj"), object = root_dependent(first, "obj");
  const int new_subject = root_dependent(second, "nsubj"),
            new_object = root_dependent(second, "obj");
  ASSERT_TRUE(subject >= 0 && object >= 0 && new_subject >= 0 && new_object >= 0)
      << first.text << " / " << second.text;
  EXPECT_EQ(lowered(first.words[root_of(first)].form), lowered(second.words[root_of(second)].form));
  EXPECT_EQ(feature(first.words[subject].feats, "Number"),
            feature(first.words[object].feats, "Number"))
      << first.text;
  EXPECT_EQ(subtree(second, new_subject), subtree(first, object))
      << first.text << " / " << second.text;
  EXPECT_EQ(subtree(second, new_object), subtree(first, subject))
      << first.text << " / " << second.text;
  EXPECT_NE(first.text, second.text);
  EXPECT_TRUE(std::isupper(static_cast<unsigned char>(second.text[0]))) << second.text;
}

void expect_adjectives_reordered(const SentencePairExample& example) {
  const Sentence& first = example.first;
  const Sentence& second = example.second;
  EXPECT_NE(first.text, second.text);
  std::vector<std::string> a = tokens(first.text), b = tokens(second.text);
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_EQ(a, b) << first.text << " / " << second.text;
  EXPECT_EQ(tree_multiset(first), tree_multiset(second)) << first.text << " / " << second.text;
  // Every moved word lies in an amod phrase of one and the same noun.
  ASSERT_EQ(first.words.size(), second.words.size());
  int noun = -1;
  for (std::size_t i = 0; i < first.words.size(); ++i) {
    if (first.words[i].form == second.words[i].form) continue;
    int w = static_cast<int>(i);
    while (w >= 0 && first.words[w].deprel != "amod") w = first.words[w].head;
    ASSERT_GE(w, 0) << first.text << " / " << second.text;
    if (noun < 0) noun = first.words[w].head;
    EXPECT_EQ(first.words[w].head, noun) << first.text << " / " << second.text;
    EXPECT_EQ(first.words[noun].form, second.words[noun].form);
  }
}

TEST(SyntheticTasks, SentencePairsFollowTheirKinds) {
  const TaskSet& tasks = built_tasks();
  ASSERT_EQ(tasks.pairs.size(), 600u);
  int entailment = 0;
  std::map<PairKind, int> kinds;
  for (const SentencePairExample& example : tasks.pairs) {
    ASSERT_TRUE(tree_problems(example.second).empty()) << example.second.text;
    EXPECT_TRUE(agreement_holds(example.first)) << example.first.text;
    EXPECT_TRUE(agreement_holds(example.second)) << example.second.text;
    ++kinds[example.kind];
    const bool entailing =
        example.kind == PairKind::identical || example.kind == PairKind::paraphrase;
    EXPECT_EQ(example.entailment, entailing);
    entailment += example.entailment;
    if (example.kind == PairKind::identical) {
      EXPECT_EQ(example.first.text, example.second.text);
      continue;
    }
    if (example.kind == PairKind::paraphrase) {
      expect_adjectives_reordered(example);
      continue;
    }
    if (example.kind == PairKind::role_swap) {
      expect_roles_swapped(example);
      continue;
    }
    // The main clause's subject has the other Number.
    bool changed = false;
    for (std::size_t i = 0; i < example.first.words.size(); ++i) {
      const Word& word = example.first.words[i];
      if (word.deprel.rfind("nsubj", 0) != 0 || word.head < 0 ||
          example.first.words[word.head].head != -1)
        continue;
      changed = feature(word.feats, "Number") != feature(example.second.words[i].feats, "Number");
      break;
    }
    EXPECT_TRUE(changed) << example.first.text << " / " << example.second.text;
  }
  EXPECT_EQ(entailment, 300);
  for (PairKind kind :
       {PairKind::identical, PairKind::paraphrase, PairKind::number, PairKind::role_swap})
    EXPECT_GT(kinds[kind], 0) << static_cast<int>(kind);
  const auto root = std::filesystem::temp_directory_path() / "dac_synthetic_pair_kinds_test";
  std::filesystem::remove_all(root);
  const TaskCounts counts = write_tasks(tasks, root);
  std::filesystem::remove_all(root);
  EXPECT_EQ(counts.pairs_identical, static_cast<std::uint64_t>(kinds[PairKind::identical]));
  EXPECT_EQ(counts.pairs_paraphrase, static_cast<std::uint64_t>(kinds[PairKind::paraphrase]));
  EXPECT_EQ(counts.pairs_number, static_cast<std::uint64_t>(kinds[PairKind::number]));
  EXPECT_EQ(counts.pairs_role_swap, static_cast<std::uint64_t>(kinds[PairKind::role_swap]));
}

}  // namespace
}  // namespace dac::synthetic
