// Tests for the built-in agreement extractors on whole corpora: subject_verb against the
// synthetic generator's own record of its agreements, and every extractor on UD English EWT.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "catalog.hpp"
#include "dac/config.hpp"
#include "dac/syntax/conllu.hpp"
#include "generator.hpp"
#include "support/test_support.hpp"
#include "ud_checks.hpp"

namespace {

using dac::Chunk;
using dac::ConfigNode;
using dac::Sentence;

// Problems with a chunk: members ascending, unique and in the sentence; anchors distinct members.
std::string chunk_problem(const Sentence& sentence, const Chunk& chunk, std::size_t max_words) {
  const auto& members = chunk.members;
  if (members.empty()) return "no members";
  if (members.size() > max_words) return "more than max_words members";
  if (members.front() < 0 || members.back() >= static_cast<int>(sentence.words.size()))
    return "a member outside the sentence";
  if (std::adjacent_find(members.begin(), members.end(), std::greater_equal<int>()) !=
      members.end())
    return "members not strictly ascending";
  if (chunk.controller == chunk.target) return "controller and target are one word";
  if (!std::binary_search(members.begin(), members.end(), chunk.controller))
    return "controller not a member";
  if (!std::binary_search(members.begin(), members.end(), chunk.target))
    return "target not a member";
  return "";
}

bool same_chunks(const std::vector<Chunk>& a, const std::vector<Chunk>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Chunk& x, const Chunk& y) {
    return x.members == y.members && x.controller == y.controller && x.target == y.target;
  });
}

TEST(AgreementCorpora, SubjectVerbFindsTheSyntheticGeneratorsAgreements) {
  using namespace dac::synthetic;
  const GrammarSpec grammar =
      load_grammar(default_grammar_dir() / "english.toml", default_grammar_dir() / "lexicon.toml");
  const SyntheticGenerator generator(grammar, 11);
  const auto extractor = dac::agreements::make_extractor("subject_verb");
  std::size_t facts = 0;
  for (std::uint32_t k = 0; k < 5000; ++k) {
    const GeneratedSentence generated = generator.sentence(k / 8, k % 8);
    // The generator records every word of the predicate that shares the subject's number
    // variable (the verb, its auxiliary or copula); the one that shows the agreement is the
    // finite one, which subject_verb makes its target.
    std::set<std::pair<int, int>> expected, found;
    for (const AgreementFact& fact : generated.agreements)
      if (feature(generated.sentence.words[fact.verb].feats, "VerbForm") == "Fin")
        expected.emplace(fact.subject, fact.verb);
    for (const Chunk& chunk : extractor->extract(generated.sentence))
      found.emplace(chunk.controller, chunk.target);
    ASSERT_EQ(found, expected) << generated.sentence.text;
    facts += expected.size();
  }
  EXPECT_GT(facts, 5000u);
}

TEST(AgreementCorpora, EveryExtractorGivesValidChunksOnEwtDev) {
  const auto data = dac::test::test_data_dir();
  if (!data) GTEST_SKIP() << "real data folder absent (set DAC_TEST_DATA)";
  const std::filesystem::path file = *data / "ud_english_ewt" / "en_ewt-ud-dev.conllu";
  if (!std::filesystem::exists(file)) GTEST_SKIP() << file << " absent";
  const std::vector<Sentence> sentences = dac::read_conllu_file(file);
  for (const auto& entry : dac::agreements::built_in_extractors()) {
    for (const char* span : {"anchors", "base_phrase", "contiguous"}) {
      ConfigNode table = ConfigNode::table();
      table.set("span", ConfigNode::string(span));
      const auto extractor = dac::agreements::make_extractor(entry.spec.name, table);
      const std::size_t max_words = 16;
      std::size_t chunks = 0;
      for (const Sentence& sentence : sentences) {
        const std::vector<Chunk> found = extractor->extract(sentence);
        for (const Chunk& chunk : found) {
          const std::string problem = chunk_problem(sentence, chunk, max_words);
          ASSERT_EQ(problem, "") << entry.spec.name << " (span " << span << ") on "
                                 << sentence.text;
        }
        ASSERT_TRUE(same_chunks(found, extractor->extract(sentence))) << "not deterministic";
        chunks += found.size();
      }
      EXPECT_GT(chunks, 50u) << entry.spec.name << " (span " << span << ")";
    }
  }
}

}  // namespace
