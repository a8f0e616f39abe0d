// Segmenting raw documents into CoNLL-U-ready sentences.
#include "segmented_documents.hpp"

#include <cctype>
#include <fstream>
#include <iostream>
#include <sstream>

#include "dac/error.hpp"
#include "dac/file_text.hpp"
#include "dac/syntax/conllu.hpp"

namespace dac::cli {

namespace {

bool has_blank_line(std::string_view gap) {
  bool after_newline = false;
  for (char c : gap) {
    if (c == '\n') {
      if (after_newline) return true;
      after_newline = true;
    } else if (c != ' ' && c != '\t' && c != '\r') {
      after_newline = false;
    }
  }
  return false;
}

// A "# text" value on one line: every whitespace character becomes a space.
std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') c = ' ';
  return text;
}

// Gives the segmented sentence a flat tree, SpaceAfter=No marks and its comments.
void annotate(Sentence& sentence, std::string_view text, std::vector<std::string> comments) {
  const auto glued = [&](std::size_t end) {
    return end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]));
  };
  std::vector<Word>& words = sentence.words;
  for (std::size_t i = 0; i < words.size(); ++i) words[i].head = i ? 0 : -1;
  std::vector<bool> in_multiword(words.size(), false);  // its token line carries SpaceAfter
  for (ExtraLine& extra : sentence.extra_lines) {
    if (extra.kind != ExtraLine::Kind::multiword_token || extra.before >= words.size()) continue;
    const std::size_t end = words[extra.before].begin + extra.columns[1].size();
    if (glued(end)) extra.columns[9] = "SpaceAfter=No";
    for (std::size_t i = extra.before; i < words.size() && words[i].end <= end; ++i)
      in_multiword[i] = true;
  }
  for (std::size_t i = 0; i < words.size(); ++i)
    if (!in_multiword[i] && glued(words[i].end)) words[i].misc = "SpaceAfter=No";
  comments.push_back("# text = " + one_line(sentence.text));
  sentence.comments = std::move(comments);
}

}  // namespace

std::vector<syntax::RawDocument> read_raw_documents(const std::string& path,
                                                    const std::string& format) {
  if (format == "text") return {{"", read_whole_file(path, "input file")}};
  if (format == "conllu-text") return syntax::raw_documents(read_conllu_file(path));
  throw UserError("unknown --format '" + format + "' (expected text or conllu-text)");
}

std::vector<Sentence> segment_documents(const std::vector<syntax::RawDocument>& documents,
                                        const syntax::SegmenterOptions& options) {
  std::vector<Sentence> all;
  for (const syntax::RawDocument& document : documents) {
    std::vector<Sentence> sentences = syntax::segment(document.text, options);
    std::size_t previous_end = 0;
    for (std::size_t k = 0; k < sentences.size(); ++k) {
      Sentence& sentence = sentences[k];
      std::vector<std::string> comments;
      if (k == 0)
        comments.push_back(document.id.empty() ? "# newdoc" : "# newdoc id = " + document.id);
      const std::size_t begin = sentence.words.front().begin;
      if (k == 0 || has_blank_line(
                        std::string_view(document.text).substr(previous_end, begin - previous_end)))
        comments.push_back("# newpar");
      comments.push_back("# sent_id = " + std::to_string(all.size() + 1));
      previous_end = sentence.words.back().end;
      annotate(sentence, document.text, std::move(comments));
      all.push_back(std::move(sentence));
    }
  }
  return all;
}

std::uint64_t write_sentences(const std::vector<Sentence>& sentences,
                              const std::optional<std::string>& path) {
  std::ofstream file;
  if (path) {
    file.open(*path, std::ios::binary);
    if (!file) throw UserError("cannot write " + *path);
  }
  std::ostream& out = path ? file : std::cout;
  std::uint64_t words = 0;
  std::string buffer;
  for (const Sentence& sentence : sentences) {
    words += sentence.words.size();
    buffer += to_conllu(sentence);
    if (buffer.size() > (1 << 16)) {
      out << buffer;
      buffer.clear();
    }
  }
  out << buffer << std::flush;
  if (!out) throw UserError("cannot write the CoNLL-U output" + (path ? " to " + *path : ""));
  return words;
}

}  // namespace dac::cli
