// Tests of the synthetic grammar, generator and statistics (dac_synthetic_core) and of the
// synthetic_agreement corpus as loaded from the built plugin.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <tuple>

#include "dac/error.hpp"
#include "dac/kinds/corpus.hpp"
#include "dac/plugin_host.hpp"
#include "dac/syntax/conllu.hpp"
#include "generator.hpp"
#include "stats.hpp"
#include "ud_checks.hpp"

namespace dac::synthetic {
namespace {

constexpr int kSentences = 20000;
constexpr std::uint32_t kPerDocument = 8;

const GrammarSpec& built_in_grammar() {
  static const GrammarSpec grammar =
      load_grammar(default_grammar_dir() / "english.toml", default_grammar_dir() / "lexicon.toml");
  return grammar;
}

GeneratedSentence nth_sentence(const SyntheticGenerator& generator, int k) {
  return generator.sentence(static_cast<std::uint32_t>(k) / kPerDocument,
                            static_cast<std::uint32_t>(k) % kPerDocument);
}

std::uint64_t fnv1a(std::uint64_t hash, const std::string& text) {
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

std::uint64_t hash_documents(const SyntheticGenerator& generator, std::uint32_t documents) {
  std::uint64_t hash = 14695981039346656037ull;
  for (std::uint32_t d = 0; d < documents; ++d)
    hash = fnv1a(hash, generator.document_text(d, kPerDocument));
  return hash;
}

TEST(SyntheticLexicon, InflectsRegularFormsAndMergesFeats) {
  EXPECT_EQ(inflect("dog", "plural"), "dogs");
  EXPECT_EQ(inflect("box", "plural"), "boxes");
  EXPECT_EQ(inflect("city", "plural"), "cities");
  EXPECT_EQ(inflect("day", "plural"), "days");
  EXPECT_EQ(inflect("carry", "past"), "carried");
  EXPECT_EQ(inflect("love", "past"), "loved");
  EXPECT_EQ(merge_feats("Number=Sing", "Case=Nom|Number=Plur"), "Case=Nom|Number=Plur");
  EXPECT_GE(built_in_grammar().lexicon.form_count(), 1000u);
}

TEST(SyntheticGenerator, SameSeedSameDocumentsOtherSeedOthers) {
  const SyntheticGenerator a(built_in_grammar(), 7), b(built_in_grammar(), 7),
      c(built_in_grammar(), 8);
  EXPECT_EQ(hash_documents(a, 50), hash_documents(b, 50));
  EXPECT_NE(hash_documents(a, 50), hash_documents(c, 50));
  // A document does not depend on which documents were generated before it.
  EXPECT_EQ(a.document_text(41, kPerDocument), b.document_text(41, kPerDocument));
  EXPECT_NE(a.document_text(41, kPerDocument), a.document_text(42, kPerDocument));
}

TEST(SyntheticGenerator, EveryTreeIsValidUd) {
  const SyntheticGenerator generator(built_in_grammar(), 1);
  for (int k = 0; k < kSentences; ++k) {
    const Sentence sentence = nth_sentence(generator, k).sentence;
    const std::vector<std::string> problems = tree_problems(sentence);
    ASSERT_TRUE(problems.empty()) << sentence.text << ": " << problems.front();
    for (std::size_t i = 0; i + 1 < sentence.words.size(); ++i) {
      const Word& word = sentence.words[i];
      const bool glued = sentence.words[i + 1].begin == word.end;
      ASSERT_EQ(word.misc, glued ? "SpaceAfter=No" : "_") << sentence.text;
      // The lexicon's before_vowel respelling: never "a" before a vowel.
      const bool bare_a = word.form == "a" || word.form == "A";
      ASSERT_FALSE(bare_a &&
                   std::string("aeiou").find(sentence.words[i + 1].form[0]) != std::string::npos)
          << sentence.text;
    }
  }
}

TEST(SyntheticGenerator, SentencesSurviveACoNLLURoundTrip) {
  const SyntheticGenerator generator(built_in_grammar(), 4);
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / "dac_synthetic_round_trip.conllu";
  std::vector<Sentence> written;
  {
    std::ofstream out(path);
    for (int k = 0; k < 500; ++k) {
      written.push_back(nth_sentence(generator, k).sentence);
      write_conllu(out, written.back());
    }
  }
  std::vector<Sentence> read = read_conllu_file(path);
  ASSERT_EQ(read.size(), written.size());
  for (std::size_t k = 0; k < read.size(); ++k) {
    EXPECT_NO_THROW(validate(read[k]));
    compute_text_offsets(read[k]);
    ASSERT_EQ(read[k].text, written[k].text);
    ASSERT_EQ(read[k].words.size(), written[k].words.size()) << written[k].text;
    for (std::size_t i = 0; i < read[k].words.size(); ++i) {
      const Word& a = read[k].words[i];
      const Word& b = written[k].words[i];
      EXPECT_EQ(
          std::tie(a.form, a.lemma, a.upos, a.feats, a.head, a.deprel, a.misc, a.begin, a.end),
          std::tie(b.form, b.lemma, b.upos, b.feats, b.head, b.deprel, b.misc, b.begin, b.end))
          << written[k].text << " word " << i + 1;
    }
  }
  std::filesystem::remove(path);
}

TEST(SyntheticGenerator, SubjectsAgreeWithTheirVerbsByAnIndependentCheck) {
  const SyntheticGenerator generator(built_in_grammar(), 2);
  std::uint64_t pairs = 0;
  for (int k = 0; k < kSentences; ++k) {
    const GeneratedSentence generated = nth_sentence(generator, k);
    const std::vector<SubjectVerbPair> checked = subject_verb_pairs(generated.sentence);
    for (const SubjectVerbPair& pair : checked)
      ASSERT_EQ(pair.subject_number, pair.carrier_number)
          << generated.sentence.text << ": '" << generated.sentence.words[pair.subject].form
          << "' and '" << generated.sentence.words[pair.carrier].form << "'";
    // The generator's own record names the same overt pairs with the same attractor counts.
    std::vector<std::pair<int, int>> from_tree, from_generator;
    for (const SubjectVerbPair& pair : checked)
      from_tree.emplace_back(pair.subject, pair.attractors);
    for (const AgreementFact& fact : generated.agreements)
      if (fact.overt) from_generator.emplace_back(fact.subject, fact.attractors);
    ASSERT_EQ(from_tree, from_generator) << generated.sentence.text;
    pairs += checked.size();
  }
  EXPECT_GT(pairs, static_cast<std::uint64_t>(kSentences) / 2);
}

TEST(SyntheticGenerator, AttractorsAppearAtTheExpectedRate) {
  const SyntheticGenerator generator(built_in_grammar(), 3);
  int facts = 0, with_attractor = 0;
  for (int k = 0; k < kSentences; ++k)
    for (const AgreementFact& fact : nth_sentence(generator, k).agreements) {
      if (!fact.overt) continue;
      ++facts;
      with_attractor += fact.attractors > 0;
    }
  const double rate = static_cast<double>(with_attractor) / facts;
  EXPECT_GT(rate, 0.05);
  EXPECT_LT(rate, 0.30);
}

TEST(SyntheticStats, DistributionsAreInTheExpectedRanges) {
  const SyntheticStats stats = generate_stats(SyntheticGenerator(built_in_grammar(), 0), 20000, 8);
  std::cout << to_toml(stats_table(stats));
  EXPECT_EQ(stats.sentences, 20000u);
  EXPECT_GT(stats.length_mean, 6.0);
  EXPECT_LT(stats.length_mean, 16.0);
  EXPECT_LE(stats.length_p10, stats.length_p50);
  EXPECT_LE(stats.length_p50, stats.length_p90);
  EXPECT_LE(stats.length_p90, stats.length_max);
  for (double rate : stats.per_1000_words) {
    EXPECT_GT(rate, 20.0);
    EXPECT_LT(rate, 400.0);
  }
  EXPECT_EQ(stats.number_mismatches, 0u);
  EXPECT_GT(stats.attractor_histogram[1], 0u);
  EXPECT_GT(stats.attractor_histogram[2], 0u);
  EXPECT_GT(stats.attractor_rate, 0.05);
}

TEST(SyntheticGrammar, ReportsUnknownSymbolsWithTheirFile) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "dac_synthetic_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "bad.toml") << "start = \"S\"\n[variables]\nn = [\"Sing\", \"Plur\"]\n"
                                     "[rules]\n\"S\" = [[1, \"nope^ period:punct\"]]\n";
  try {
    load_grammar(dir / "bad.toml", default_grammar_dir() / "lexicon.toml");
    FAIL() << "no error";
  } catch (const UserError& error) {
    EXPECT_NE(std::string(error.what()).find("bad.toml:5"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("'nope'"), std::string::npos) << error.what();
  }
}

TEST(SyntheticAgreementCorpus, PluginYieldsTheGeneratorsDocuments) {
  PluginHost host;
  host.load_library(std::filesystem::path(DAC_PLUGIN_DIR) / "dac_synthetic.so");
  ConfigNode options = ConfigNode::table();
  options.set("documents", ConfigNode::integer(5));
  options.set("seed", ConfigNode::integer(11));
  auto corpus = host.create_named<Corpus>("synthetic_agreement", options, "corpus");
  std::vector<Document> documents;
  corpus->read([&](Document&& document) {
    documents.push_back(std::move(document));
    return true;
  });
  const SyntheticGenerator generator(built_in_grammar(), 11);
  ASSERT_EQ(documents.size(), 5u);
  for (std::uint32_t d = 0; d < 5; ++d) {
    EXPECT_EQ(documents[d].id, "synthetic#" + std::to_string(d));
    EXPECT_EQ(documents[d].text, generator.document_text(d, kPerDocument));
  }
}

}  // namespace
}  // namespace dac::synthetic
