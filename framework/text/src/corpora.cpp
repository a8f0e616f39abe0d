// Corpora read from files: the shared file list and document checks, then one reader per format
// (plain text, JSON Lines, WikiExtractor, Project Gutenberg).
#include "dac/text/corpora.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <utility>

#include "dac/error.hpp"
#include "dac/text/utf8.hpp"
#include "json_field.hpp"

namespace dac::text {
namespace {

namespace fs = std::filesystem;

// A Gutenberg file whose first 1 MiB holds no START marker is read whole.
constexpr std::size_t kGutenbergHeaderSearchBytes = std::size_t{1} << 20;

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

bool matches_extension(const fs::path& path, const std::vector<std::string>& extensions) {
  if (extensions.empty()) return true;
  const std::string name = path.filename().string();
  return std::any_of(extensions.begin(), extensions.end(), [&](const std::string& extension) {
    return extension.empty() ? name.find('.') == std::string::npos : name.ends_with(extension);
  });
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (const std::string& part : parts) {
    if (!joined.empty()) joined += separator;
    joined += part;
  }
  return joined;
}

std::string quoted_extensions(const std::vector<std::string>& extensions) {
  std::vector<std::string> quoted;
  for (const std::string& extension : extensions) quoted.push_back("\"" + extension + "\"");
  return join(quoted, ", ");
}

// The matching files under one folder, sorted by relative path; hidden files and folders skipped.
std::vector<CorpusFile> files_in_folder(const fs::path& folder,
                                        const std::vector<std::string>& extensions) {
  std::vector<CorpusFile> files;
  for (auto it = fs::recursive_directory_iterator(folder); it != fs::recursive_directory_iterator();
       ++it) {
    if (it->path().filename().string().starts_with(".")) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file() || !matches_extension(it->path(), extensions)) continue;
    files.push_back({it->path(), fs::relative(it->path(), folder).generic_string(), 0});
  }
  std::sort(files.begin(), files.end(),
            [](const CorpusFile& a, const CorpusFile& b) { return a.name < b.name; });
  if (files.empty()) {
    throw UserError(folder.string() + ": no files ending in " + quoted_extensions(extensions) +
                    " in this folder");
  }
  return files;
}

// Lines joined into one text; blank lines are kept between text lines but dropped at both ends.
class LineJoiner {
 public:
  void add(std::string_view line) {
    if (is_blank(line)) {
      if (!text_.empty()) ++blank_lines_;
      return;
    }
    if (!text_.empty()) text_.append(blank_lines_ + 1, '\n');
    blank_lines_ = 0;
    text_ += line;
  }
  bool empty() const { return text_.empty(); }
  std::string take() {
    blank_lines_ = 0;
    return std::exchange(text_, {});
  }

 private:
  std::string text_;
  std::size_t blank_lines_ = 0;
};

// Groups paragraphs (lines separated by blank lines) into texts of at most `max_bytes`, joined by
// one blank line. A longer paragraph is cut at line ends, and a longer line at a UTF-8 boundary.
class ParagraphChunker {
 public:
  using Emit = std::function<bool(std::string&&)>;  // false: stop
  ParagraphChunker(std::size_t max_bytes, Emit emit) : max_(max_bytes), emit_(std::move(emit)) {}

  bool add_line(std::string_view line) {
    if (is_blank(line)) return end_paragraph();
    const std::size_t separator = paragraph_.empty() ? 0 : 1;
    if (paragraph_.size() + separator + line.size() <= max_) {
      if (separator != 0) paragraph_ += '\n';
      paragraph_ += line;
      return true;
    }
    if (!flush_chunk()) return false;
    if (!paragraph_.empty() && !emit_(std::exchange(paragraph_, {}))) return false;
    while (line.size() > max_) {
      const std::size_t cut = utf8_cut(line);
      if (!emit_(std::string(line.substr(0, cut)))) return false;
      line.remove_prefix(cut);
    }
    paragraph_ = line;
    return true;
  }

  bool finish() { return end_paragraph() && flush_chunk(); }

 private:
  bool end_paragraph() {
    if (paragraph_.empty()) return true;
    if (!chunk_.empty() && chunk_.size() + 2 + paragraph_.size() > max_ && !flush_chunk()) {
      return false;
    }
    if (!chunk_.empty()) chunk_ += "\n\n";
    chunk_ += paragraph_;
    paragraph_.clear();
    return true;
  }

  bool flush_chunk() { return chunk_.empty() || emit_(std::exchange(chunk_, {})); }

  // The longest prefix of `line` of at most max_ bytes that does not split a UTF-8 sequence.
  std::size_t utf8_cut(std::string_view line) const {
    std::size_t cut = max_;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    return cut > 0 ? cut : max_;
  }

  std::size_t max_;
  Emit emit_;
  std::string chunk_;
  std::string paragraph_;
};

std::string_view trimmed(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

enum class GutenbergLine { kText, kStart, kEnd };

GutenbergLine classify_gutenberg_line(std::string_view line) {
  const std::size_t first = line.find_first_not_of(' ');
  if (first == std::string_view::npos) return GutenbergLine::kText;
  line.remove_prefix(first);
  if (line.starts_with("***")) {
    line.remove_prefix(std::min(line.find_first_not_of("* "), line.size()));
    for (std::string_view which : {"THE ", "THIS "}) {
      const std::string rest = std::string(which) + "PROJECT GUTENBERG";
      if (starts_with_ignoring_case(line, "START OF " + rest)) return GutenbergLine::kStart;
      if (starts_with_ignoring_case(line, "END OF " + rest)) return GutenbergLine::kEnd;
    }
  } else if (line.starts_with("*END*THE SMALL PRINT")) {
    return GutenbergLine::kStart;
  } else if (starts_with_ignoring_case(line, "End of ")) {
    for (std::string_view rest :
         {"the Project Gutenberg", "this Project Gutenberg", "Project Gutenberg"}) {
      if (starts_with_ignoring_case(line.substr(7), rest)) return GutenbergLine::kEnd;
    }
  }
  return GutenbergLine::kText;
}

// Drops what follows a Gutenberg START marker before the book's text: the rest of a marker line
// that wraps (a "*** START ..." line not ending with "***"), then leading credit paragraphs
// ("Produced by ...").
class GutenbergPreamble {
 public:
  explicit GutenbergPreamble(std::string_view start_line) : state_(State::kLooking) {
    const std::string_view marker = trimmed(start_line);
    if (marker.starts_with("***") && !marker.ends_with("***")) state_ = State::kMarker;
  }

  // Whether `line` belongs to the preamble; false from the first line of the text on.
  bool skip(std::string_view line) {
    switch (state_) {
      case State::kMarker:
        if (is_blank(line) || trimmed(line).ends_with("***")) state_ = State::kLooking;
        return true;
      case State::kLooking:
        if (is_blank(line)) return true;
        if (is_credit(line)) return state_ = State::kCredits, true;
        state_ = State::kText;
        return false;
      case State::kCredits:
        if (is_blank(line)) state_ = State::kLooking;
        return true;
      case State::kText:
        break;
    }
    return false;
  }

 private:
  enum class State { kMarker, kLooking, kCredits, kText };

  static bool is_credit(std::string_view line) {
    line = trimmed(line);
    for (std::string_view credit :
         {"Produced by", "E-text prepared by", "Etext prepared by", "This etext was prepared by",
          "This eBook was produced by", "Transcribed from", "Note: Project Gutenberg",
          "Note: Images of the original pages"}) {
      if (starts_with_ignoring_case(line, credit)) return true;
    }
    return false;
  }

  State state_;
};

// The value of `name="..."` in a `<doc ...>` line.
std::optional<std::string> tag_attribute(std::string_view tag, std::string_view name) {
  const std::string key = " " + std::string(name) + "=\"";
  const std::size_t start = tag.find(key);
  if (start == std::string_view::npos) return std::nullopt;
  const std::size_t value = start + key.size();
  const std::size_t end = tag.find('"', value);
  if (end == std::string_view::npos) return std::nullopt;
  return std::string(tag.substr(value, end - value));
}

}  // namespace

std::vector<CorpusFile> find_corpus_files(const std::vector<fs::path>& paths,
                                          const std::vector<std::string>& extensions) {
  if (paths.empty()) throw UserError("no corpus paths given");
  std::vector<CorpusFile> files;
  for (const fs::path& path : paths) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (fs::is_directory(status)) {
      std::vector<CorpusFile> found = files_in_folder(path, extensions);
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(status)) {
      files.push_back({path, path.filename().string(), 0});
    } else {
      throw UserError(path.string() + ": no such file or folder");
    }
  }
  for (CorpusFile& file : files) file.bytes = fs::file_size(file.path);
  return files;
}

FileCorpus::FileCorpus(std::string format, const std::vector<fs::path>& paths,
                       const std::vector<std::string>& extensions)
    : format_(std::move(format)), roots_(paths), files_(find_corpus_files(paths, extensions)) {
  for (const CorpusFile& file : files_) total_bytes_ += file.bytes;
}

void FileCorpus::read(const std::function<bool(Document&&)>& sink) {
  stats_ = {};
  sink_ = &sink;
  for (const CorpusFile& file : files_) {
    InputFile input(file.path);
    ++stats_.files;
    if (!read_file(input, file)) break;
  }
  sink_ = nullptr;
}

std::vector<std::pair<std::string, std::uint64_t>> FileCorpus::statistics() const {
  return {{"files", stats_.files},
          {"documents", stats_.documents},
          {"bytes", stats_.bytes},
          {"empty_skipped", stats_.empty_skipped},
          {"utf8_replacements", stats_.utf8_replacements},
          {"bad_lines", stats_.bad_lines},
          {"no_markers", stats_.no_markers}};
}

std::string FileCorpus::describe() const {
  std::vector<std::string> roots;
  for (const fs::path& root : roots_) roots.push_back(root.string());
  char size[32];
  std::snprintf(size, sizeof size, "%.1f MB", static_cast<double>(total_bytes_) / 1e6);
  return format_ + ": " + std::to_string(files_.size()) +
         (files_.size() == 1 ? " file" : " files") + " under " + join(roots, ", ") + " (" + size +
         ")";
}

bool FileCorpus::emit(std::string id, std::string text) {
  if (is_blank(text)) {
    ++stats_.empty_skipped;
    return true;
  }
  if (!is_valid_utf8(text)) {
    std::size_t replaced = 0;
    text = repair_utf8(text, &replaced);
    stats_.utf8_replacements += replaced;
  }
  ++stats_.documents;
  stats_.bytes += text.size();
  return (*sink_)(Document{std::move(id), std::move(text)});
}

TextFilesCorpus::TextFilesCorpus(TextFilesOptions options)
    : FileCorpus("plain text", options.paths, options.extensions) {}

bool TextFilesCorpus::read_file(InputFile& input, const CorpusFile& file) {
  LineJoiner document;
  std::uint64_t first_line = 0;
  const auto flush = [&] {
    return document.empty() || emit(file.name + "#" + std::to_string(first_line), document.take());
  };
  std::string_view line;
  while (input.next_line(line)) {
    if (is_blank(line)) {
      if (!flush()) return false;
      continue;
    }
    if (document.empty()) first_line = input.line_number();
    document.add(line);
  }
  return flush();
}

JsonLinesCorpus::JsonLinesCorpus(JsonLinesOptions options)
    : FileCorpus("JSON Lines", options.paths, options.extensions), options_(std::move(options)) {
  if (options_.text_field.empty()) throw UserError("JSON Lines corpus: text_field is empty");
}

bool JsonLinesCorpus::read_file(InputFile& input, const CorpusFile& file) {
  std::string text;
  std::string_view line;
  while (input.next_line(line)) {
    if (is_blank(line)) continue;
    const detail::JsonFieldResult result =
        detail::extract_json_string_field(line, options_.text_field, text);
    if (result.status != detail::JsonFieldStatus::kFound) {
      if (!options_.skip_bad_lines) {
        throw UserError(input.where() + ": " + result.message +
                        " (skip_bad_lines = true skips such lines)");
      }
      ++mutable_stats().bad_lines;
      continue;
    }
    mutable_stats().utf8_replacements += result.replacements;
    if (!emit(file.name + "#" + std::to_string(input.line_number()), std::move(text))) {
      return false;
    }
  }
  return true;
}

WikiExtractorCorpus::WikiExtractorCorpus(WikiExtractorOptions options)
    : FileCorpus("WikiExtractor", options.paths, options.extensions),
      options_(std::move(options)) {}

bool WikiExtractorCorpus::read_file(InputFile& input, const CorpusFile& file) {
  std::optional<std::string> id;  // of the open <doc>
  std::uint64_t opened_at = 0;
  bool title_pending = false;
  LineJoiner document;
  std::string_view line;
  while (input.next_line(line)) {
    const bool opens = line.starts_with("<doc ");
    if (!id) {
      if (is_blank(line)) continue;
      if (!opens) {
        throw UserError(input.where() +
                        ": text outside <doc ...> ... </doc> (is this a "
                        "WikiExtractor file?)");
      }
      id = tag_attribute(line, "id");
      if (!id) throw UserError(input.where() + ": <doc> without an id=\"...\" attribute");
      opened_at = input.line_number();
      title_pending = true;
    } else if (trimmed(line) == "</doc>") {
      if (!emit(file.name + "#" + *id, document.take())) return false;
      id.reset();
    } else if (opens) {
      throw UserError(input.where() + ": <doc> inside the <doc> opened at line " +
                      std::to_string(opened_at) + " (missing </doc>)");
    } else if (title_pending) {
      title_pending = false;
      if (options_.keep_title) document.add(line);
    } else {
      document.add(line);
    }
  }
  if (id) {
    throw UserError(input.path().string() + ": the <doc> opened at line " +
                    std::to_string(opened_at) + " has no </doc> (is the file truncated?)");
  }
  return true;
}

GutenbergCorpus::GutenbergCorpus(GutenbergOptions options)
    : FileCorpus("Project Gutenberg", options.paths, options.extensions),
      options_(std::move(options)) {
  if (options_.max_document_chars == 0) {
    throw UserError("Project Gutenberg corpus: max_document_chars must be at least 1");
  }
}

bool GutenbergCorpus::read_file(InputFile& input, const CorpusFile& file) {
  std::size_t chunk_index = 0;
  ParagraphChunker chunker(options_.max_document_chars, [&](std::string&& text) {
    return emit(file.name + "#" + std::to_string(chunk_index++), std::move(text));
  });
  // Lines before the START marker, kept until it is found; the book itself when there is none.
  std::string header;
  std::optional<GutenbergPreamble> preamble;  // set once the START marker is found
  bool in_body = false;
  const auto read_header_as_text = [&] {
    ++mutable_stats().no_markers;
    in_body = true;
    std::string_view rest = header;
    for (std::size_t end; (end = rest.find('\n')) != std::string_view::npos;
         rest.remove_prefix(end + 1)) {
      if (!chunker.add_line(rest.substr(0, end))) return false;
    }
    header.clear();
    return true;
  };
  std::string_view line;
  while (input.next_line(line)) {
    const GutenbergLine kind = classify_gutenberg_line(line);
    if (in_body) {
      if (preamble && kind == GutenbergLine::kEnd) break;
      if (preamble && preamble->skip(line)) continue;
      if (kind != GutenbergLine::kStart && !chunker.add_line(line)) return false;
    } else if (kind == GutenbergLine::kStart) {
      in_body = true;
      preamble.emplace(line);
      header.clear();
    } else {
      header.append(line).push_back('\n');
      if (header.size() > kGutenbergHeaderSearchBytes && !read_header_as_text()) return false;
    }
  }
  if (!in_body && !read_header_as_text()) return false;
  return chunker.finish();
}

}  // namespace dac::text
