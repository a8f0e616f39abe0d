// Corpora read from files: plain text, JSON Lines, WikiExtractor output and Project Gutenberg
// books, each plain or gzip/zstd compressed. Reading streams; documents come in a fixed order.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "dac/kinds/corpus.hpp"
#include "dac/text/input_file.hpp"

namespace dac::text {

// What the last read() saw. Counts restart at every read().
struct CorpusStats {
  std::uint64_t files = 0;              // files opened
  std::uint64_t documents = 0;          // documents passed to the sink
  std::uint64_t bytes = 0;              // bytes of text in those documents
  std::uint64_t empty_skipped = 0;      // documents without any visible text, not passed on
  std::uint64_t utf8_replacements = 0;  // invalid UTF-8 sequences replaced by U+FFFD
  std::uint64_t bad_lines = 0;          // JSON Lines skipped as bad (skip_bad_lines = true)
  std::uint64_t no_markers = 0;         // Gutenberg files without a START marker, read whole
};

// One file of a corpus. `name` is its path relative to the folder it was found in (its file name
// when it was named directly); document ids start with it.
struct CorpusFile {
  std::filesystem::path path;
  std::string name;
  std::uint64_t bytes = 0;
};

// The files under `paths`: a file is taken as it is; a folder is searched recursively for files
// whose name ends with one of `extensions` (an entry "" matches names without a dot; an empty list
// matches every file), skipping hidden ones, in byte order of their relative paths. A missing path,
// no paths or a folder without matching files is a UserError.
std::vector<CorpusFile> find_corpus_files(const std::vector<std::filesystem::path>& paths,
                                          const std::vector<std::string>& extensions);

// The shared part of the corpora below: the file list, statistics, and every document's final
// checks (invalid UTF-8 repaired and counted, documents without visible text skipped and counted).
class FileCorpus : public Corpus {
 public:
  void read(const std::function<bool(Document&&)>& sink) final;
  // e.g. "plain text: 3 files under data/books (12.4 MB)".
  std::string describe() const override;
  // Total size of the files on disk.
  std::uint64_t size_hint_bytes() const override { return total_bytes_; }
  const CorpusStats& stats() const { return stats_; }
  std::vector<std::pair<std::string, std::uint64_t>> statistics() const override;
  const std::vector<CorpusFile>& files() const { return files_; }

 protected:
  FileCorpus(std::string format, const std::vector<std::filesystem::path>& paths,
             const std::vector<std::string>& extensions);
  // Reads the documents of one file and passes each to emit(); false once emit() returned false.
  virtual bool read_file(InputFile& input, const CorpusFile& file) = 0;
  // Passes a document on; false when the sink asks to stop.
  bool emit(std::string id, std::string text);
  CorpusStats& mutable_stats() { return stats_; }

 private:
  std::string format_;
  std::vector<std::filesystem::path> roots_;
  std::vector<CorpusFile> files_;
  std::uint64_t total_bytes_ = 0;
  CorpusStats stats_;
  const std::function<bool(Document&&)>* sink_ = nullptr;
};

struct TextFilesOptions {
  std::vector<std::filesystem::path> paths;
  std::vector<std::string> extensions = {".txt", ".txt.gz", ".txt.zst"};
};

// Plain text: a blank line or the end of a file ends a document. Ids are "NAME#LINE", LINE being
// the document's first line.
class TextFilesCorpus final : public FileCorpus {
 public:
  explicit TextFilesCorpus(TextFilesOptions options);

 private:
  bool read_file(InputFile& input, const CorpusFile& file) override;
};

struct JsonLinesOptions {
  std::vector<std::filesystem::path> paths;
  std::string text_field = "text";  // a top-level string field of every object
  bool skip_bad_lines = false;      // count bad lines instead of stopping with a UserError
  std::vector<std::string> extensions = {".jsonl", ".jsonl.gz", ".jsonl.zst", ".json.gz",
                                         ".json.zst"};
};

// One JSON object per line (blank lines ignored), the document being its `text_field`. A malformed
// line or one without a string `text_field` is a UserError "FILE:LINE: ..." unless
// `skip_bad_lines`. Ids are "NAME#LINE".
class JsonLinesCorpus final : public FileCorpus {
 public:
  explicit JsonLinesCorpus(JsonLinesOptions options);

 private:
  bool read_file(InputFile& input, const CorpusFile& file) override;

  JsonLinesOptions options_;
};

struct WikiExtractorOptions {
  std::vector<std::filesystem::path> paths;
  bool keep_title = false;  // keep the first line of each article (its title)
  std::vector<std::string> extensions = {"", ".gz", ".zst"};  // wiki_00, wiki_00.gz, ...
};

// WikiExtractor output: articles between `<doc id="..." url="..." title="...">` and `</doc>`
// lines, the first line of each being its title. Ids are "NAME#ID" with the article's id.
class WikiExtractorCorpus final : public FileCorpus {
 public:
  explicit WikiExtractorCorpus(WikiExtractorOptions options);

 private:
  bool read_file(InputFile& input, const CorpusFile& file) override;

  WikiExtractorOptions options_;
};

struct GutenbergOptions {
  std::vector<std::filesystem::path> paths;
  std::size_t max_document_chars = 100000;  // in bytes of UTF-8
  std::vector<std::string> extensions = {".txt", ".txt.gz", ".txt.zst"};
};

// Project Gutenberg books: only the text between the "*** START OF THE/THIS PROJECT GUTENBERG
// EBOOK ..." line (or the older "*END*THE SMALL PRINT" line) and the "*** END OF ..." (or "End of
// the Project Gutenberg EBook ...") line is kept, less leading credit paragraphs ("Produced by",
// "E-text prepared by", ...). Paragraphs (split at blank lines) are grouped into documents of at
// most `max_document_chars` bytes. A file without a START marker in its first 1 MiB is read whole
// and counted in no_markers. Ids are "NAME#N", N counting a book's documents from 0.
class GutenbergCorpus final : public FileCorpus {
 public:
  explicit GutenbergCorpus(GutenbergOptions options);

 private:
  bool read_file(InputFile& input, const CorpusFile& file) override;

  GutenbergOptions options_;
};

}  // namespace dac::text
