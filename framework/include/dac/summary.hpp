// Tables of results: the summary of all runs of an experiment, written as CSV and Markdown from
// the same rows.
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace dac {

struct ResultTable {
  std::vector<std::string> columns;                      // in display order
  std::vector<std::map<std::string, std::string>> rows;  // column -> cell ("" when missing)

  // Adds a column if it is new (keeps first-seen order).
  void add_column(const std::string& column);
};

// RFC 4180 CSV: a header line, then one line per row; cells with , " or newlines are quoted.
std::string to_csv(const ResultTable& table);
// A GitHub-flavoured Markdown table; | in cells escaped, numbers right-aligned.
std::string to_markdown(const ResultTable& table);
// Writes both files (atomically: a temporary file renamed into place).
void write_result_table(const ResultTable& table, const std::filesystem::path& csv_path,
                        const std::filesystem::path& markdown_path);
// Writes text to a file through a temporary file and a rename; UserError naming the path on
// failure.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);
// The same for content produced by `write` into a binary stream (large files are not built in
// memory first).
void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write);

}  // namespace dac
