// Line-by-line reading of GLUE's tab-separated files.
#include "tsv_file.hpp"

#include <utility>

#include "dac/error.hpp"

namespace dac::glue_tasks {

std::vector<std::string> split_tabs(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (std::size_t tab = line.find('\t'); tab != std::string_view::npos;
       tab = line.find('\t', start)) {
    fields.emplace_back(line.substr(start, tab - start));
    start = tab + 1;
  }
  fields.emplace_back(line.substr(start));
  return fields;
}

TsvFile::TsvFile(std::filesystem::path path) : path_(std::move(path)), in_(path_) {
  if (!in_) throw UserError("cannot read " + path_.string());
}

bool TsvFile::read_line(std::string& text) {
  if (!std::getline(in_, text)) return false;
  if (!text.empty() && text.back() == '\r') text.pop_back();
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  if (at_start_ && text.starts_with(kByteOrderMark)) text.erase(0, kByteOrderMark.size());
  at_start_ = false;
  return true;
}

bool TsvFile::next(std::vector<std::string>& fields) {
  if (empty_lines_ahead_ > 0) {
    --empty_lines_ahead_;
    ++line_;
    fields = {""};
    return true;
  }
  std::string text;
  if (text_ahead_) {
    text = std::move(*text_ahead_);
    text_ahead_.reset();
  } else if (!read_line(text)) {
    return false;
  }
  if (text.empty()) {
    // Rows only when some text follows them; empty lines at the end are none.
    std::string after;
    while (read_line(after)) {
      if (!after.empty()) {
        text_ahead_ = std::move(after);
        break;
      }
      ++empty_lines_ahead_;
    }
    if (!text_ahead_) return false;
  }
  ++line_;
  fields = split_tabs(text);
  return true;
}

std::string TsvFile::where() const {
  return path_.string() + ":" + std::to_string(line_);
}

}  // namespace dac::glue_tasks
