// Reads GLUE's tab-separated files line by line: fields split on tabs only (no quote processing,
// so quotes in sentences stay as written), a trailing '\r' and a UTF-8 byte order mark at the
// start of the file removed, and empty lines at the end of the file ignored.
#pragma once

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dac::glue_tasks {

// `line` split on every tab.
std::vector<std::string> split_tabs(std::string_view line);

class TsvFile {
 public:
  // A UserError naming `path` when it cannot be opened.
  explicit TsvFile(std::filesystem::path path);

  // The next line's fields; false at the end. An empty line followed by more text is a row of one
  // empty field.
  bool next(std::vector<std::string>& fields);
  // 1-based line number of the last row returned.
  int line() const { return line_; }
  // "<path>:<line>" of the last row returned, for messages.
  std::string where() const;
  const std::filesystem::path& path() const { return path_; }

 private:
  bool read_line(std::string& text);

  std::filesystem::path path_;
  std::ifstream in_;
  int line_ = 0;
  bool at_start_ = true;
  int empty_lines_ahead_ = 0;              // empty lines read ahead of `text_ahead_`
  std::optional<std::string> text_ahead_;  // the line after them
};

}  // namespace dac::glue_tasks
