// Downstream tasks made from generated sentences by editing their gold trees: acceptability
// (CoLA layout), BLiMP-style minimal pairs and a sentence-pair task (RTE layout).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dac/syntax/sentence.hpp"
#include "generator.hpp"

namespace dac::synthetic {

// The form, FEATS, text and offsets of `sentence` with word `word` in its other Number, taken from
// the lexicon (the entry with the same part of speech and lemma). Empty when the word has no
// Number or the lexicon lacks the other form.
std::optional<Sentence> with_other_number(const Sentence& sentence, int word,
                                          const Lexicon& lexicon);

// One agreement that can be broken: the word whose Number is flipped and its controller.
struct AgreementSite {
  std::string type;  // "subject_verb" or "determiner_noun"
  int target = -1;   // the verb/aux/cop or the determiner
  int controller = -1;
  int attractors = 0;
};

// The agreements of a grammatical sentence whose target has a form of the other number.
std::vector<AgreementSite> breakable_agreements(const Sentence& sentence, const Lexicon& lexicon);

// The sentence with its subject's number changed and every word agreeing with it changed along
// (determiners, verbs, aux/cop, a relative clause's verbs); empty when some form is missing.
std::optional<Sentence> with_subject_number_changed(const Sentence& sentence,
                                                    const Lexicon& lexicon);

// The main clause's subject and object noun phrases exchanged ("The dog sees the cat" -> "The cat
// sees the dog"): both contiguous, headed by nouns or proper nouns of the same Number, with the
// heads' relations exchanged too. Empty when no such pair exists or the result fails the checks.
std::optional<Sentence> with_arguments_swapped(const Sentence& sentence, const Lexicon& lexicon);

// The sentence with the two stacked amod phrases of one noun in the other order ("the big red
// dog" -> "the red big dog"), the same words and relations. Empty when no noun has two adjacent
// amod phrases or the reordering would change a word's spelling.
std::optional<Sentence> with_adjectives_reordered(const Sentence& sentence, const Lexicon& lexicon);

// True when every subject-verb pair and every determiner-noun pair of the tree agree in Number.
bool agreement_holds(const Sentence& sentence);

struct AcceptabilityExample {
  Sentence sentence;
  Sentence source;             // the generated sentence it was made from
  int label = 1;               // 1 grammatical, 0 one agreement broken
  std::string agreement_type;  // of the break; empty for label 1
  int edited = -1;             // the word whose Number was flipped
  bool dev = false;
};

struct MinimalPair {
  Sentence good;
  Sentence bad;
  std::string agreement_type;
  int attractor_distance = 0;
  int edited = -1;
};

// How the second sentence of a pair was made from the first.
enum class PairKind {
  identical,   // entailment: the same sentence
  paraphrase,  // entailment: two stacked adjectives of a noun reordered
  number,      // not_entailment: the main subject's number changed
  role_swap,   // not_entailment: the main clause's subject and object exchanged
};

struct SentencePairExample {
  Sentence first;
  Sentence second;
  bool entailment = true;
  PairKind kind = PairKind::identical;
  bool dev = false;
};

struct TaskSet {
  std::vector<AcceptabilityExample> acceptability;
  std::vector<MinimalPair> minimal_pairs;
  std::vector<SentencePairExample> pairs;
};

struct TaskOptions {
  std::uint64_t examples = 2000;  // per task
  std::uint64_t split_seed = 0;   // the order of the examples and which go to dev
  double dev_fraction = 0.1;
  std::uint32_t sentences_per_document = 8;
};

// Builds the three tasks from the generator's sentences, a pure function of its seed and `options`.
TaskSet make_tasks(const SyntheticGenerator& generator, const TaskOptions& options);

struct TaskCounts {
  std::uint64_t acceptability_train = 0, acceptability_dev = 0;
  std::uint64_t pairs_train = 0, pairs_dev = 0;
  std::uint64_t pairs_identical = 0, pairs_paraphrase = 0, pairs_number = 0, pairs_role_swap = 0;
  std::uint64_t minimal_pairs = 0;
};

// Writes acceptability/{train,dev}.tsv, pairs/{train,dev}.tsv and minimal_pairs.jsonl.
TaskCounts write_tasks(const TaskSet& tasks, const std::filesystem::path& dir);

}  // namespace dac::synthetic
