// Reading, writing and checking CoNLL-U files (Universal Dependencies treebanks). Reading then
// writing a sentence reproduces its lines byte for byte.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "dac/syntax/sentence.hpp"

namespace dac {

struct ConlluOptions {
  // Skip (and count) malformed sentences instead of throwing.
  bool skip_malformed = false;
};

// Streams the sentences of a CoNLL-U file, one at a time. Malformed input is a UserError
// "FILE:LINE: reason" unless ConlluOptions::skip_malformed.
class ConlluReader {
 public:
  explicit ConlluReader(const std::filesystem::path& path, ConlluOptions options = {});
  // Reads the next sentence into `sentence`; false at the end of the file.
  bool next(Sentence& sentence);
  // Malformed sentences skipped so far.
  std::uint64_t skipped() const { return skipped_; }

 private:
  // Reads the lines of the next sentence into `block_`; false at the end of the file.
  bool read_block();

  std::filesystem::path path_;
  ConlluOptions options_;
  std::ifstream in_;
  std::uint64_t line_number_ = 0;  // lines read so far
  std::uint64_t block_start_ = 0;  // line number of the first line of `block_`
  std::vector<std::string> block_;
  std::uint64_t skipped_ = 0;
};

// Every sentence of a CoNLL-U file.
std::vector<Sentence> read_conllu_file(const std::filesystem::path& path,
                                       ConlluOptions options = {});

// Parses one sentence from its lines (comments, then word lines; no blank line). `first_line` is
// the line number of lines[0] in `source`, used in error messages "SOURCE:LINE: reason".
Sentence parse_conllu_sentence(const std::vector<std::string>& lines, std::string_view source,
                               std::uint64_t first_line);

// The CoNLL-U lines of a sentence, ending with the blank line that closes it. A sentence without
// a "# text" comment but with `text` gets one.
std::string to_conllu(const Sentence& sentence);
void write_conllu(std::ostream& out, const Sentence& sentence);

// Throws a UserError unless the words form one tree: heads in range, exactly one root, no cycle.
void validate(const Sentence& sentence);

// The value of the comment "# key = value" (e.g. "sent_id", "text"), if the sentence has one.
std::optional<std::string> comment_value(const Sentence& sentence, std::string_view key);

// Sets each word's begin/end to its byte range in `sentence.text` when the forms (or the
// multiword tokens that hold them) appear there in order; words after the first mismatch get npos.
void compute_text_offsets(Sentence& sentence);

}  // namespace dac
