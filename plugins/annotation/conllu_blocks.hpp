// Reading CoNLL-U files as sentence blocks (the lines between blank lines) with their file, line
// and byte position, so a reader can come back to a block later; a list of files reads as one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace dac::annotation {

// Where a block starts.
struct BlockPosition {
  std::size_t file = 0;
  std::uint64_t offset = 0;  // byte offset of its first line
  std::uint64_t line = 0;    // 1-based number of its first line
};

struct ConlluBlock {
  std::vector<std::string> lines;  // without newlines
  BlockPosition position;
  // The id of a "# newdoc" comment ("" for "# newdoc" without one); absent without the comment.
  std::optional<std::string> newdoc;
};

class ConlluBlockReader {
 public:
  explicit ConlluBlockReader(std::vector<std::filesystem::path> files);
  // The next block, moving on to the next file at the end of one; false after the last file.
  bool next(ConlluBlock& block);
  // Continues reading at a position a block had.
  void seek(const BlockPosition& position);
  const std::filesystem::path& file(std::size_t index) const { return files_[index]; }
  const std::vector<std::filesystem::path>& files() const { return files_; }

 private:
  void open(std::size_t file);

  std::vector<std::filesystem::path> files_;
  std::ifstream in_;
  std::size_t file_ = 0;
  std::uint64_t offset_ = 0;  // of the next line
  std::uint64_t line_ = 0;    // lines read so far in the current file
};

// "FILE:LINE" of line `index` of a block.
std::string block_line_label(const ConlluBlockReader& reader, const ConlluBlock& block,
                             std::size_t index);

}  // namespace dac::annotation
