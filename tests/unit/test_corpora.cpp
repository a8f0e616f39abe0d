// Tests of the file corpora: plain text, JSON Lines, WikiExtractor and Project Gutenberg, on small
// written files (plain and compressed) and on the real Wikipedia and Gutenberg data.
#include "dac/text/corpora.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "dac/error.hpp"
#include "support/compress.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using dac::Document;
using dac::UserError;
using dac::test::contains;
using dac::test::error_of;
using dac::test::TempDir;
using dac::test::write_file;
using namespace dac::text;

std::vector<Document> read_all(dac::Corpus& corpus) {
  std::vector<Document> documents;
  corpus.read([&](Document&& document) {
    documents.push_back(std::move(document));
    return true;
  });
  return documents;
}

std::vector<std::string> ids_of(const std::vector<Document>& documents) {
  std::vector<std::string> ids;
  for (const Document& document : documents) ids.push_back(document.id);
  return ids;
}

std::vector<std::string> texts_of(const std::vector<Document>& documents) {
  std::vector<std::string> texts;
  for (const Document& document : documents) texts.push_back(document.text);
  return texts;
}

std::size_t lines_starting_with(const fs::path& path, const std::string& prefix) {
  std::ifstream in(path);
  std::size_t count = 0;
  for (std::string line; std::getline(in, line);) count += line.starts_with(prefix) ? 1 : 0;
  return count;
}

// ---------------------------------------------------------------------------------------------
// Files and common checks

TEST(CorpusFiles, FoldersAreSearchedRecursivelyInSortedOrderWithTheExtensionFilter) {
  TempDir dir;
  write_file(dir / "data/b.txt", "b\n");
  write_file(dir / "data/a/z.txt.gz", dac::test::gzip_bytes("z\n"));
  write_file(dir / "data/a/y.md", "not taken\n");
  write_file(dir / "data/.hidden.txt", "hidden\n");
  write_file(dir / "data/.git/c.txt", "hidden folder\n");
  write_file(dir / "single.md", "a file named directly is always taken\n");
  const std::vector<CorpusFile> files =
      find_corpus_files({dir / "data", dir / "single.md"}, {".txt", ".txt.gz"});
  std::vector<std::string> names;
  for (const CorpusFile& file : files) names.push_back(file.name);
  EXPECT_EQ(names, (std::vector<std::string>{"a/z.txt.gz", "b.txt", "single.md"}));
  EXPECT_EQ(files[1].bytes, 2u);
}

TEST(CorpusFiles, BadPathsAreUserErrors) {
  TempDir dir;
  write_file(dir / "data/readme.md", "x\n");
  EXPECT_PRED2(contains, error_of<UserError>([&] { find_corpus_files({dir / "nope"}, {}); }),
               "nope: no such file or folder");
  EXPECT_PRED2(contains, error_of<UserError>([&] { TextFilesCorpus corpus({{dir / "data"}}); }),
               "no files ending in \".txt\", \".txt.gz\", \".txt.zst\"");
  EXPECT_PRED2(contains, error_of<UserError>([&] { TextFilesCorpus corpus({}); }),
               "no corpus paths given");
}

// ---------------------------------------------------------------------------------------------
// Plain text

TEST(TextFilesCorpus, BlankLinesAndFileEndsSeparateDocuments) {
  TempDir dir;
  write_file(dir / "a.txt", "first line\r\nsecond line\r\n\r\n  \r\nnext doc\r\n\n\nlast");
  write_file(dir / "b.txt.zst", dac::test::zstd_bytes("zstd doc\n"));
  TextFilesCorpus corpus({{dir.path()}});
  const std::vector<Document> documents = read_all(corpus);
  EXPECT_EQ(texts_of(documents),
            (std::vector<std::string>{"first line\nsecond line", "next doc", "last", "zstd doc"}));
  EXPECT_EQ(ids_of(documents),
            (std::vector<std::string>{"a.txt#1", "a.txt#5", "a.txt#8", "b.txt.zst#1"}));
  const CorpusStats& stats = corpus.stats();
  EXPECT_EQ(stats.files, 2u);
  EXPECT_EQ(stats.documents, 4u);
  EXPECT_EQ(stats.bytes, 22u + 8 + 4 + 8);
  EXPECT_EQ(corpus.size_hint_bytes(),
            fs::file_size(dir / "a.txt") + fs::file_size(dir / "b.txt.zst"));
  EXPECT_PRED2(contains, corpus.describe(), "plain text: 2 files under " + dir.path().string());
}

TEST(TextFilesCorpus, InvalidUtf8IsRepairedAndCounted) {
  TempDir dir;
  write_file(dir / "a.txt", "caf\xC3\xA9 ok\n\nbad \xFF\xFE here\n");
  TextFilesCorpus corpus({{dir / "a.txt"}});
  const std::vector<Document> documents = read_all(corpus);
  ASSERT_EQ(documents.size(), 2u);
  EXPECT_EQ(documents[0].text, "caf\xC3\xA9 ok");
  EXPECT_EQ(documents[1].text, "bad \xEF\xBF\xBD\xEF\xBF\xBD here");
  EXPECT_EQ(corpus.stats().utf8_replacements, 2u);
}

TEST(TextFilesCorpus, SinkCanStopAndReadingAgainGivesTheSameDocuments) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 100; ++i) text += "doc " + std::to_string(i) + "\n\n";
  write_file(dir / "a.txt", text);
  write_file(dir / "b.txt", text);
  TextFilesCorpus corpus({{dir.path()}});
  int seen = 0;
  corpus.read([&](Document&&) { return ++seen < 3; });
  EXPECT_EQ(seen, 3);
  EXPECT_EQ(corpus.stats().documents, 3u);
  const std::vector<Document> first = read_all(corpus);
  const std::vector<Document> second = read_all(corpus);
  EXPECT_EQ(first.size(), 200u);
  EXPECT_EQ(ids_of(first), ids_of(second));
  EXPECT_EQ(texts_of(first), texts_of(second));
  EXPECT_EQ(corpus.stats().documents, 200u);
}

// ---------------------------------------------------------------------------------------------
// JSON Lines

TEST(JsonLinesCorpus, DecodesEscapesAndSkipsNestedValues) {
  TempDir dir;
  write_file(dir / "a.jsonl",
             R"({"id": 1, "text": "tab\there \"quoted\" back\\slash \/ caf\u00e9 \ud83d\ude00"})"
             "\n"
             R"({"meta": {"text": 5, "list": [1, -2.5e+3, true, false, null, {"a": "}]\""}]},)"
             R"( "te\u0078t": "escaped key", "after": [[], {}]})"
             "\n\n"
             R"(  {"text": "lone \ud800 surrogate\nnewline"}  )"
             "\n");
  JsonLinesCorpus corpus({{dir / "a.jsonl"}});
  const std::vector<Document> documents = read_all(corpus);
  EXPECT_EQ(texts_of(documents),
            (std::vector<std::string>{"tab\there \"quoted\" back\\slash / caf\u00e9 \U0001F600",
                                      "escaped key", "lone \uFFFD surrogate\nnewline"}));
  EXPECT_EQ(ids_of(documents), (std::vector<std::string>{"a.jsonl#1", "a.jsonl#2", "a.jsonl#4"}));
  EXPECT_EQ(corpus.stats().utf8_replacements, 1u);
}

TEST(JsonLinesCorpus, OtherTextFieldAndCompressedFiles) {
  TempDir dir;
  write_file(dir / "a.jsonl.gz", dac::test::gzip_bytes("{\"body\": \"from gzip\"}\n"));
  write_file(dir / "b.json.gz", dac::test::gzip_bytes("{\"body\": \"pile style\"}\n"));
  write_file(dir / "c.jsonl.zst", dac::test::zstd_bytes("{\"body\": \"from zstd\"}"));
  JsonLinesOptions options{{dir.path()}};
  options.text_field = "body";
  JsonLinesCorpus corpus(options);
  EXPECT_EQ(texts_of(read_all(corpus)),
            (std::vector<std::string>{"from gzip", "pile style", "from zstd"}));
}

TEST(JsonLinesCorpus, BadLinesAreErrorsNamingFileAndLine) {
  TempDir dir;
  const auto path = dir / "a.jsonl";
  const auto first_error = [&](const std::string& bad_line) {
    write_file(path, "{\"text\": \"fine\"}\n" + bad_line + "\n");
    JsonLinesCorpus corpus({{path}});
    return error_of<UserError>([&] { read_all(corpus); });
  };
  EXPECT_PRED2(contains, first_error(R"({"text": "a",})"),
               path.string() + ":2: malformed JSON at column 14: expected a string key");
  EXPECT_PRED2(contains, first_error(R"({"text": "unterminated)"), "unterminated string");
  EXPECT_PRED2(contains, first_error(R"({"text": "a"} x)"), "unexpected text after the object");
  EXPECT_PRED2(contains, first_error(R"(["text"])"), "expected a JSON object");
  EXPECT_PRED2(contains, first_error(R"({"text": "bad \q escape"})"), "invalid escape");
  EXPECT_PRED2(contains, first_error(R"({"n": 01, "text": "x"})"), "expected ',' or '}'");
  EXPECT_PRED2(contains, first_error(R"({"other": "x"})"), path.string() + ":2: no field \"text\"");
  EXPECT_PRED2(contains, first_error(R"({"text": ["x"]})"),
               path.string() + ":2: field \"text\" is an array, not a string");
  EXPECT_PRED2(contains, first_error(R"({"text": null})"), "skip_bad_lines");
}

TEST(JsonLinesCorpus, SkipBadLinesCountsThem) {
  TempDir dir;
  write_file(
      dir / "a.jsonl",
      "{\"text\": \"one\"}\n{broken\n{\"text\": 3}\n{\"no\": \"text\"}\n{\"text\": \"two\"}\n"
      "{\"text\": \" \"}\n");
  JsonLinesOptions options{{dir / "a.jsonl"}};
  options.skip_bad_lines = true;
  JsonLinesCorpus corpus(options);
  EXPECT_EQ(texts_of(read_all(corpus)), (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(corpus.stats().bad_lines, 3u);
  EXPECT_EQ(corpus.stats().empty_skipped, 1u);
}

// ---------------------------------------------------------------------------------------------
// WikiExtractor

const char* const kWikiSample =
    "<doc id=\"12\" url=\"http://en.wikipedia.org/wiki?curid=12\" title=\"Anarchism\">\n"
    "Anarchism\n"
    "\n"
    "Anarchism is a political philosophy.\n"
    "\n"
    "History.\n"
    "\n"
    "</doc>\n"
    "<doc id=\"13\" url=\"http://en.wikipedia.org/wiki?curid=13\" title=\"Empty\">\n"
    "Empty\n"
    "</doc>\n"
    "<doc id=\"25\" url=\"http://en.wikipedia.org/wiki?curid=25\" title=\"Autism\">\n"
    "Autism\n"
    "Autism is a disorder.\n"
    "</doc>\n";

TEST(WikiExtractorCorpus, ReadsArticlesWithoutTitlesAndSkipsEmptyOnes) {
  TempDir dir;
  write_file(dir / "AA/wiki_00", kWikiSample);
  write_file(dir / "AA/wiki_01.gz", dac::test::gzip_bytes(kWikiSample));
  write_file(dir / "manifest.tsv", "not an article file\n");
  WikiExtractorCorpus corpus({{dir.path()}});
  const std::vector<Document> documents = read_all(corpus);
  EXPECT_EQ(ids_of(documents), (std::vector<std::string>{"AA/wiki_00#12", "AA/wiki_00#25",
                                                         "AA/wiki_01.gz#12", "AA/wiki_01.gz#25"}));
  EXPECT_EQ(documents[0].text, "Anarchism is a political philosophy.\n\nHistory.");
  EXPECT_EQ(documents[1].text, "Autism is a disorder.");
  EXPECT_EQ(corpus.stats().empty_skipped, 2u);
}

TEST(WikiExtractorCorpus, KeepTitle) {
  TempDir dir;
  write_file(dir / "wiki_00", kWikiSample);
  WikiExtractorOptions options{{dir / "wiki_00"}};
  options.keep_title = true;
  WikiExtractorCorpus corpus(options);
  const std::vector<Document> documents = read_all(corpus);
  ASSERT_EQ(documents.size(), 3u);
  EXPECT_EQ(documents[0].text, "Anarchism\n\nAnarchism is a political philosophy.\n\nHistory.");
  EXPECT_EQ(documents[1].text, "Empty");
}

TEST(WikiExtractorCorpus, MalformedFilesAreErrorsNamingTheLine) {
  TempDir dir;
  const auto path = dir / "wiki_00";
  const auto error = [&](const std::string& text) {
    write_file(path, text);
    WikiExtractorCorpus corpus({{path}});
    return error_of<UserError>([&] { read_all(corpus); });
  };
  EXPECT_PRED2(contains, error("<doc id=\"1\">\nT\ntext\n"),
               path.string() + ": the <doc> opened at line 1 has no </doc>");
  EXPECT_PRED2(contains, error("<doc id=\"1\">\nT\n<doc id=\"2\">\n"),
               path.string() + ":3: <doc> inside the <doc> opened at line 1");
  EXPECT_PRED2(contains, error("\nstray text\n"), path.string() + ":2: text outside <doc");
  EXPECT_PRED2(contains, error("<doc title=\"x\">\n</doc>\n"), ":1: <doc> without an id");
}

TEST(WikiExtractorCorpus, RealFileHasOneDocumentPerDocLine) {
  const auto data = dac::test::test_data_dir();
  if (!data) GTEST_SKIP() << "real data folder absent (set DAC_TEST_DATA)";
  const fs::path file = *data / "wikipedia_en_wikiextractor/AA/wiki_00";
  if (!fs::exists(file)) GTEST_SKIP() << file << " absent";
  WikiExtractorCorpus corpus({{file}});
  const std::vector<Document> documents = read_all(corpus);
  EXPECT_EQ(documents.size() + corpus.stats().empty_skipped, lines_starting_with(file, "<doc "));
  ASSERT_FALSE(documents.empty());
  EXPECT_EQ(documents[0].id, "wiki_00#12");
  EXPECT_TRUE(documents[0].text.starts_with("Anarchism is a political philosophy"));
  for (const Document& document : documents) {
    EXPECT_FALSE(contains(document.text, "<doc ")) << document.id;
    EXPECT_FALSE(contains(document.text, "</doc>")) << document.id;
  }
}

TEST(WikiExtractorCorpus, RealFolderCountMatchesManifest) {
  const auto data = dac::test::test_data_dir();
  if (!data) GTEST_SKIP() << "real data folder absent (set DAC_TEST_DATA)";
  const fs::path folder = *data / "wikipedia_en_wikiextractor";
  if (!fs::exists(folder)) GTEST_SKIP() << folder << " absent";
  WikiExtractorCorpus corpus({{folder}});
  const std::vector<Document> documents = read_all(corpus);
  EXPECT_EQ(corpus.stats().files, 60u);
  EXPECT_EQ(documents.size() + corpus.stats().empty_skipped, 3957u);  // SOURCE.md
}

// ---------------------------------------------------------------------------------------------
// Project Gutenberg

const char* const kGutenbergSample =
    "The Project Gutenberg EBook of Test, by Someone\r\n"
    "\r\n"
    "This eBook is for the use of anyone anywhere at no cost\r\n"
    "\r\n"
    "*** START OF THIS PROJECT GUTENBERG EBOOK TEST ***\r\n"
    "\r\n"
    "Produced by Volunteers and the Project Gutenberg Online\r\n"
    "Distributed Proofreading Team\r\n"
    "\r\n"
    "CHAPTER I\r\n"
    "\r\n"
    "It was a dark night.\r\n"
    "The wind blew.\r\n"
    "\r\n"
    "\r\n"
    "The end came.\r\n"
    "\r\n"
    "End of the Project Gutenberg EBook of Test, by Someone\r\n"
    "\r\n"
    "*** END OF THIS PROJECT GUTENBERG EBOOK TEST ***\r\n"
    "\r\n"
    "Project Gutenberg License text.\r\n";

std::vector<Document> read_gutenberg(const fs::path& path, std::size_t max_chars = 100000) {
  GutenbergOptions options{{path}};
  options.max_document_chars = max_chars;
  GutenbergCorpus corpus(options);
  return read_all(corpus);
}

TEST(GutenbergCorpus, KeepsOnlyTheBookBetweenTheMarkers) {
  TempDir dir;
  write_file(dir / "book.txt", kGutenbergSample);
  const std::vector<Document> documents = read_gutenberg(dir / "book.txt");
  ASSERT_EQ(documents.size(), 1u);
  EXPECT_EQ(documents[0].id, "book.txt#0");
  EXPECT_EQ(documents[0].text,
            "CHAPTER I\n\nIt was a dark night.\nThe wind blew.\n\nThe end came.");
}

TEST(GutenbergCorpus, WrappedStartMarkerAndOlderSmallPrintStyle) {
  TempDir dir;
  write_file(dir / "wrapped.txt",
             "header\n***START OF THE PROJECT GUTENBERG EBOOK A VERY LONG\nTITLE***\n\nText.\n"
             "***END OF THE PROJECT GUTENBERG EBOOK A VERY LONG\nTITLE***\nlicence\n");
  EXPECT_EQ(texts_of(read_gutenberg(dir / "wrapped.txt")), (std::vector<std::string>{"Text."}));
  write_file(dir / "old.txt",
             "small print\n*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*\n\n"
             "Old text.\n\nEnd of Project Gutenberg's Old, by Someone\nmore licence\n");
  EXPECT_EQ(texts_of(read_gutenberg(dir / "old.txt")), (std::vector<std::string>{"Old text."}));
}

TEST(GutenbergCorpus, FileWithoutMarkersIsReadWholeAndCounted) {
  TempDir dir;
  write_file(dir / "plain.txt", "Just a text.\r\n\r\nWith two paragraphs.\r\n");
  GutenbergCorpus corpus({{dir / "plain.txt"}});
  EXPECT_EQ(texts_of(read_all(corpus)),
            (std::vector<std::string>{"Just a text.\n\nWith two paragraphs."}));
  EXPECT_EQ(corpus.stats().no_markers, 1u);
}

TEST(GutenbergCorpus, ParagraphsAreGroupedIntoBoundedDocuments) {
  TempDir dir;
  std::string book = "*** START OF THE PROJECT GUTENBERG EBOOK X ***\n";
  std::vector<std::string> paragraphs;
  for (int i = 0; i < 50; ++i) {
    paragraphs.push_back("Paragraph " + std::to_string(i) + std::string(i % 7 * 3, '.') +
                         "\nsecond line.");
    book += paragraphs.back() + "\n\n";
  }
  book += std::string(130, 'w') + "\n";  // one line longer than a document
  book += "*** END OF THE PROJECT GUTENBERG EBOOK X ***\n";
  write_file(dir / "book.txt", book);
  const std::vector<Document> documents = read_gutenberg(dir / "book.txt", 60);
  std::string rejoined;
  for (const Document& document : documents) {
    EXPECT_LE(document.text.size(), 60u) << document.id;
    if (!rejoined.empty()) rejoined += "\n\n";
    rejoined += document.text;
  }
  std::string expected;
  for (const std::string& paragraph : paragraphs) expected += paragraph + "\n\n";
  EXPECT_TRUE(rejoined.starts_with(expected)) << rejoined.substr(0, 300);
  EXPECT_EQ(documents.back().id, "book.txt#" + std::to_string(documents.size() - 1));
  EXPECT_EQ(documents.back().text, std::string(10, 'w'));
}

TEST(GutenbergCorpus, RealBookHasNoLicenceText) {
  const auto data = dac::test::test_data_dir();
  if (!data) GTEST_SKIP() << "real data folder absent (set DAC_TEST_DATA)";
  const fs::path book = *data / "gutenberg_books/books/0001.txt";  // A Garland for Girls
  if (!fs::exists(book)) GTEST_SKIP() << book << " absent";
  const std::vector<Document> documents = read_gutenberg(book);
  ASSERT_GT(documents.size(), 1u);
  EXPECT_TRUE(documents[0].text.starts_with("A GARLAND FOR GIRLS"))
      << documents[0].text.substr(0, 200);
  for (const Document& document : documents) {
    EXPECT_LE(document.text.size(), 100000u);
    for (const char* phrase :
         {"Project Gutenberg", "PROJECT GUTENBERG", "gutenberg.org", "Produced by", "\r"}) {
      EXPECT_FALSE(contains(document.text, phrase)) << document.id << " holds " << phrase;
    }
  }
  EXPECT_TRUE(documents.back().text.ends_with("The End."))
      << documents.back().text.substr(documents.back().text.size() - 200);
}

TEST(GutenbergCorpus, RealBooksAllHaveMarkers) {
  const auto data = dac::test::test_data_dir();
  if (!data) GTEST_SKIP() << "real data folder absent (set DAC_TEST_DATA)";
  const fs::path folder = *data / "gutenberg_books";
  if (!fs::exists(folder)) GTEST_SKIP() << folder << " absent";
  GutenbergCorpus corpus({{folder}});
  std::size_t licence_documents = 0;
  corpus.read([&](Document&& document) {
    licence_documents += contains(document.text, "Project Gutenberg-tm") ? 1 : 0;
    return true;
  });
  EXPECT_EQ(corpus.stats().files, 195u);
  EXPECT_EQ(corpus.stats().no_markers, 0u);
  EXPECT_EQ(licence_documents, 0u);
}

}  // namespace
