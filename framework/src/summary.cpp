// Result tables: the summary of an experiment's runs rendered as CSV and Markdown, and the atomic
// file writes that keep a reader from ever seeing half a summary.
#include "dac/summary.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <system_error>
#include <vector>

#include "dac/error.hpp"

namespace dac {
namespace fs = std::filesystem;

void ResultTable::add_column(const std::string& column) {
  if (std::find(columns.begin(), columns.end(), column) == columns.end()) columns.push_back(column);
}

namespace {

const std::string& cell(const std::map<std::string, std::string>& row, const std::string& column) {
  static const std::string empty;
  auto found = row.find(column);
  return found == row.end() ? empty : found->second;
}

// The cells of one row in column order; missing cells are empty.
std::vector<std::string> row_cells(const ResultTable& table,
                                   const std::map<std::string, std::string>& row) {
  std::vector<std::string> cells;
  for (const auto& column : table.columns) cells.push_back(cell(row, column));
  return cells;
}

std::string join_cells(const std::vector<std::string>& cells, const std::string& separator,
                       std::string (*render)(const std::string&)) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += separator;
    out += render(cells[i]);
  }
  return out;
}

std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string markdown_cell(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '|') {
      out += "\\|";
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;  // CRLF is one break
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

bool is_number(const std::string& text) {
  double value;
  auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && result.ec == std::errc() && result.ptr == text.data() + text.size();
}

// Right-aligned when the column has numbers and nothing else (empty cells aside).
bool is_numeric_column(const ResultTable& table, const std::string& column) {
  bool any_number = false;
  for (const auto& row : table.rows) {
    const std::string& text = cell(row, column);
    if (text.empty()) continue;
    if (!is_number(text)) return false;
    any_number = true;
  }
  return any_number;
}

std::string markdown_separator(const ResultTable& table) {
  std::string out = "|";
  for (const auto& column : table.columns)
    out += is_numeric_column(table, column) ? "---:|" : "---|";
  return out + "\n";
}

}  // namespace

std::string to_csv(const ResultTable& table) {
  if (table.columns.empty()) return "";
  std::string out = join_cells(table.columns, ",", csv_cell) + "\n";
  for (const auto& row : table.rows) out += join_cells(row_cells(table, row), ",", csv_cell) + "\n";
  return out;
}

std::string to_markdown(const ResultTable& table) {
  if (table.columns.empty()) return "";
  auto line = [](const std::vector<std::string>& cells) {
    return "| " + join_cells(cells, " | ", markdown_cell) + " |\n";
  };
  std::string out = line(table.columns) + markdown_separator(table);
  for (const auto& row : table.rows) out += line(row_cells(table, row));
  return out;
}

void write_result_table(const ResultTable& table, const fs::path& csv_path,
                        const fs::path& markdown_path) {
  write_file_atomically(csv_path, to_csv(table));
  write_file_atomically(markdown_path, to_markdown(table));
}

void write_file_atomically(const fs::path& path, const std::string& text) {
  write_file_atomically(path, [&](std::ostream& out) { out << text; });
}

void write_file_atomically(const fs::path& path, const std::function<void(std::ostream&)>& write) {
  auto fail = [&](const std::string& reason) {
    return UserError("cannot write '" + path.string() + "': " + reason);
  };
  std::error_code error;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), error);
  if (error) throw fail(error.message());

  fs::path temporary = path;
  temporary += ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw fail(std::strerror(errno));
    write(out);
    out.close();
    if (!out) {
      int saved = errno;
      fs::remove(temporary, error);
      throw fail(std::strerror(saved));
    }
  }
  fs::rename(temporary, path, error);
  if (error) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw fail(error.message());
  }
}

}  // namespace dac
