// Tests of the `agreements` annotator's core: pairing an external CoNLL-U parse with corpus
// documents (by document id, out of order, and by order), locating words in the raw text
// (multiword tokens included), mismatch errors naming file, line, document and byte, chunk
// alignment with wordpieces, statistics and their restoring, and the EWT dev treebank.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "agreement_annotator.hpp"
#include "annotation_statistics.hpp"
#include "catalog.hpp"
#include "conllu_documents.hpp"
#include "dac/error.hpp"
#include "dac/syntax/conllu.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using dac::Document;
using dac::annotation::AgreementAnnotator;
using dac::annotation::AgreementOptions;
using dac::annotation::ConlluDocuments;
using dac::annotation::ConlluPairing;
using dac::test::contains;
using dac::test::error_of;
using dac::test::TempDir;
using dac::test::write_file;
using Pieces = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

// Two documents, in the opposite order of the corpus below; d2 has a multiword token.
const char* kTwoDocuments =
    "# newdoc id = d2\n"
    "# text = The dogs don't bark.\n"
    "1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n"
    "2\tdogs\tdog\tNOUN\tNNS\t_\t5\tnsubj\t_\t_\n"
    "3-4\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n"
    "3\tdo\tdo\tAUX\tVBP\t_\t5\taux\t_\t_\n"
    "4\tn't\tnot\tPART\tRB\t_\t5\tadvmod\t_\t_\n"
    "5\tbark\tbark\tVERB\tVB\t_\t0\troot\t_\t_\n"
    "6\t.\t.\tPUNCT\t.\t_\t5\tpunct\t_\t_\n"
    "\n"
    "# newdoc id = d1\n"
    "# text = A cat sleeps.\n"
    "1\tA\ta\tDET\tDT\t_\t2\tdet\t_\t_\n"
    "2\tcat\tcat\tNOUN\tNN\t_\t3\tnsubj\t_\t_\n"
    "3\tsleeps\tsleep\tVERB\tVBZ\t_\t0\troot\t_\t_\n"
    "4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n"
    "\n"
    "# text = It purrs.\n"
    "1\tIt\tit\tPRON\tPRP\t_\t2\tnsubj\t_\t_\n"
    "2\tpurrs\tpurr\tVERB\tVBZ\t_\t0\troot\t_\t_\n"  // line 20
    "3\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n"
    "\n";

// A determiner with its head: controller = the head, target = the determiner.
class DeterminerArc : public dac::AgreementExtractor {
 public:
  std::string_view type() const override { return "determiner_arc"; }
  std::vector<dac::Chunk> extract(const dac::Sentence& sentence) const override {
    std::vector<dac::Chunk> chunks;
    for (int i = 0; i < static_cast<int>(sentence.words.size()); ++i)
      if (sentence.words[i].deprel == "det") {
        const int head = sentence.words[i].head;
        chunks.push_back({{std::min(i, head), std::max(i, head)}, head, i});
      }
    return chunks;
  }
};

// Wordpieces = whitespace-separated tokens, with a final '.' split off.
Pieces whitespace_pieces(std::string_view text) {
  Pieces pieces;
  std::size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    if (end - i > 1 && text[end - 1] == '.') {
      pieces.emplace_back(i, end - 1);
      pieces.emplace_back(end - 1, end);
    } else {
      pieces.emplace_back(i, end);
    }
    i = end;
  }
  return pieces;
}

AgreementAnnotator conllu_annotator(const fs::path& file, ConlluPairing pairing) {
  AgreementOptions options;
  options.conllu = {file};
  options.pairing = pairing;
  AgreementAnnotator annotator(options);
  annotator.use(nullptr, {std::make_shared<DeterminerArc>()});
  return annotator;
}

class ConlluAnnotationTest : public ::testing::Test {
 protected:
  void SetUp() override { write_file(file_, kTwoDocuments); }
  TempDir dir_;
  fs::path file_ = dir_ / "parsed.conllu";
};

TEST_F(ConlluAnnotationTest, PairsByDocumentIdInAnyOrderAndLocatesMultiwordTokens) {
  ConlluDocuments documents({file_}, ConlluPairing::automatic);
  EXPECT_TRUE(documents.pairs_by_id());
  const auto d1 = documents.parse_of({"d1", "A cat sleeps.\nIt purrs.\n"});
  ASSERT_EQ(d1.size(), 2u);
  EXPECT_EQ(d1[1].words[1].begin, 17u);  // "purrs" after the line break
  EXPECT_EQ(d1[1].words[1].end, 22u);
  const auto d2 = documents.parse_of({"d2", "The  dogs don't bark."});
  ASSERT_EQ(d2.size(), 1u);
  ASSERT_EQ(d2[0].words.size(), 6u);
  EXPECT_EQ(d2[0].words[2].begin, 10u);  // "do" of "don't", split by the forms
  EXPECT_EQ(d2[0].words[2].end, 12u);
  EXPECT_EQ(d2[0].words[3].begin, 12u);  // "n't"
  EXPECT_EQ(d2[0].words[3].end, 15u);
}

TEST_F(ConlluAnnotationTest, PairsByOrderWhenAskedToCoveringEachDocumentsText) {
  ConlluDocuments documents({file_}, ConlluPairing::by_order);
  EXPECT_FALSE(documents.pairs_by_id());
  EXPECT_EQ(documents.parse_of({"a", "The dogs don't bark. A cat sleeps."}).size(), 2u);
  EXPECT_EQ(documents.parse_of({"b", "  "}).size(), 0u);
  EXPECT_EQ(documents.parse_of({"c", "It purrs."}).size(), 1u);
  const std::string error = error_of<dac::UserError>([&] { documents.parse_of({"d", "More."}); });
  EXPECT_PRED2(contains, error, "end before document 'd'");
}

TEST_F(ConlluAnnotationTest, TextMismatchNamesFileLineDocumentAndByte) {
  ConlluDocuments documents({file_}, ConlluPairing::automatic);
  const std::string error = error_of<dac::UserError>([&] {
    documents.parse_of({"d1", "A cat sleeps.\nIt purred."});
  });
  EXPECT_PRED2(contains, error, file_.string() + ":20:");  // the line of "purrs"
  EXPECT_PRED2(contains, error, "document 'd1'");
  EXPECT_PRED2(contains, error, "byte 17");
  EXPECT_PRED2(contains, error, "'purred.'");

  const std::string extra = error_of<dac::UserError>([&] {
    documents.parse_of({"d2", "The dogs don't bark. Really."});
  });
  EXPECT_PRED2(contains, extra, "document 'd2'");
  EXPECT_PRED2(contains, extra, "byte 21");

  const std::string missing = error_of<dac::UserError>([&] {
    documents.parse_of({"d9", "Text."});
  });
  EXPECT_PRED2(contains, missing, "document 'd9' has no \"# newdoc id = d9\"");
}

TEST_F(ConlluAnnotationTest, ChunksLandOnTheWordpiecesOfTheirWords) {
  AgreementAnnotator annotator = conllu_annotator(file_, ConlluPairing::automatic);
  EXPECT_EQ(annotator.types(), std::vector<std::string>{"determiner_arc"});
  const std::vector<Document> batch{{"d1", "A cat sleeps.\nIt purrs."},
                                    {"d2", "The dogs don't bark."}};
  annotator.begin_batch(batch, true);
  std::vector<dac::text::DocumentChunk> chunks;
  annotator.annotate(batch[1], whitespace_pieces(batch[1].text), chunks);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].type, 0);
  EXPECT_EQ(chunks[0].controller, 1u);  // "dogs"
  EXPECT_EQ(chunks[0].target, 0u);      // "The"
  EXPECT_EQ(chunks[0].members, (std::vector<std::uint32_t>{0, 1}));

  // Without a wordpiece for "A" (as if the normaliser dropped it) the chunk is lost.
  Pieces pieces = whitespace_pieces(batch[0].text);
  pieces.erase(pieces.begin());
  chunks.clear();
  annotator.annotate(batch[0], pieces, chunks);
  EXPECT_TRUE(chunks.empty());

  const dac::ConfigNode stats = annotator.statistics();
  EXPECT_EQ(stats.find("documents")->as_int(), 2);
  EXPECT_EQ(stats.find("sentences")->as_int(), 3);
  EXPECT_EQ(stats.find("words")->as_int(), 13);
  EXPECT_EQ(stats.find("chunks")->as_int(), 1);
  const dac::ConfigNode& type = *stats.find("determiner_arc");
  EXPECT_EQ(type.find("documents")->as_int(), 2);
  EXPECT_EQ(type.find("chunks")->as_int(), 2);
  EXPECT_EQ(type.find("lost_at_alignment")->as_int(), 1);
  EXPECT_DOUBLE_EQ(type.find("per_1000_words")->as_float(), 2000.0 / 13);
  EXPECT_DOUBLE_EQ(type.find("chunk_words_mean")->as_float(), 2.0);
  EXPECT_EQ(type.find("chunk_wordpieces_max")->as_int(), 2);
}

TEST_F(ConlluAnnotationTest, RestoredStatisticsContinueTheCounts) {
  AgreementAnnotator first = conllu_annotator(file_, ConlluPairing::automatic);
  const std::vector<Document> batch{{"d2", "The dogs don't bark."}};
  first.begin_batch(batch, true);
  std::vector<dac::text::DocumentChunk> chunks;
  first.annotate(batch[0], whitespace_pieces(batch[0].text), chunks);

  AgreementAnnotator second = conllu_annotator(file_, ConlluPairing::automatic);
  second.restore_statistics(dac::parse_toml(dac::to_toml(first.statistics()), "saved"));
  second.begin_batch(batch, false);
  const std::vector<Document> next{{"d1", "A cat sleeps. It purrs."}};
  second.begin_batch(next, true);
  second.annotate(next[0], whitespace_pieces(next[0].text), chunks);
  const dac::ConfigNode stats = second.statistics();
  EXPECT_EQ(stats.find("documents")->as_int(), 2);
  EXPECT_EQ(stats.find("determiner_arc")->find("chunks")->as_int(), 2);
  EXPECT_EQ(stats.find("determiner_arc")->find("chunk_words_total")->as_int(), 4);
}

TEST(EwtAnnotation, EveryDevDocumentLocatesAndTheDefaultExtractorsFindChunks) {
  const auto data = dac::test::test_data_dir();
  const fs::path dev = data ? *data / "ud_english_ewt" / "en_ewt-ud-dev.conllu" : fs::path();
  if (!data || !fs::exists(dev))
    GTEST_SKIP() << "UD English EWT dev (ud_english_ewt/en_ewt-ud-dev.conllu in the real-data "
                    "folder, DAC_TEST_DATA) is absent; skipping";
  // The raw corpus: each document's sentence texts, joined by spaces, in reverse file order.
  std::vector<Document> corpus;
  for (const dac::Sentence& sentence : dac::read_conllu_file(dev)) {
    if (const auto id = dac::comment_value(sentence, "newdoc id")) corpus.push_back({*id, ""});
    corpus.back().text += (corpus.back().text.empty() ? "" : " ") + sentence.text;
  }
  std::reverse(corpus.begin(), corpus.end());

  AgreementOptions options;
  options.conllu = {dev};
  AgreementAnnotator annotator(options);
  std::vector<std::shared_ptr<const dac::AgreementExtractor>> extractors;
  for (const std::string& name : dac::annotation::default_extractors())
    extractors.push_back(dac::agreements::make_extractor(name));
  annotator.use(nullptr, std::move(extractors));
  annotator.begin_batch(corpus, true);
  std::vector<dac::text::DocumentChunk> chunks;
  for (const Document& document : corpus)
    annotator.annotate(document, whitespace_pieces(document.text), chunks);

  const dac::ConfigNode stats = annotator.statistics();
  EXPECT_EQ(stats.find("documents")->as_int(), static_cast<std::int64_t>(corpus.size()));
  EXPECT_EQ(stats.find("sentences")->as_int(), 2001);
  EXPECT_EQ(stats.find("words")->as_int(), 25147);
  for (const std::string& type : dac::annotation::default_extractors()) {
    const dac::ConfigNode& counts = *stats.find(type);
    EXPECT_GT(counts.find("chunks")->as_int(), 100) << type;
    EXPECT_GT(counts.find("per_1000_words")->as_float(), 5.0) << type;
  }
  EXPECT_EQ(stats.find("chunks")->as_int(), static_cast<std::int64_t>(chunks.size()));
}

}  // namespace
