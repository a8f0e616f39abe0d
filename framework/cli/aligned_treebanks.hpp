// Reads two CoNLL-U files of the same words side by side (a gold treebank and a parse of the same
// sentences with gold tokenisation), sentence by sentence, and stops with a UserError that names
// the file, sentence and line where they stop agreeing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "dac/syntax/sentence.hpp"

namespace dac::cli {

// One CoNLL-U file, sentence by sentence, with the line each sentence starts at.
class NumberedConlluReader {
 public:
  explicit NumberedConlluReader(std::filesystem::path path);
  // The next sentence; false at the end of the file. Malformed input is a UserError.
  bool next(Sentence& sentence);
  const std::filesystem::path& path() const { return path_; }
  // The line of the last sentence's first line, and of its word `index`.
  std::uint64_t sentence_line() const { return first_line_; }
  std::uint64_t word_line(const Sentence& sentence, std::size_t index) const;

 private:
  std::filesystem::path path_;
  std::ifstream in_;
  std::uint64_t line_number_ = 0;
  std::uint64_t first_line_ = 0;
};

class AlignedTreebanks {
 public:
  AlignedTreebanks(const std::filesystem::path& gold, const std::filesystem::path& system);
  // The next pair of sentences; false when both files end together.
  bool next(Sentence& gold, Sentence& system);
  std::uint64_t sentences() const { return sentences_; }

 private:
  // Throws unless both sentences hold the same words.
  void check_same_words(const Sentence& gold, const Sentence& system) const;

  NumberedConlluReader gold_, system_;
  std::uint64_t sentences_ = 0;
};

}  // namespace dac::cli
