// Reading CoNLL-U sentence blocks with their positions.
#include "conllu_blocks.hpp"

#include "dac/error.hpp"

namespace dac::annotation {

namespace {

// The id of a "# newdoc" / "# newdoc id = X" comment line; nothing for other lines.
std::optional<std::string> newdoc_id(const std::string& line) {
  std::string_view rest(line);
  if (!rest.starts_with('#')) return std::nullopt;
  rest.remove_prefix(1);
  while (rest.starts_with(' ')) rest.remove_prefix(1);
  if (!rest.starts_with("newdoc")) return std::nullopt;
  rest.remove_prefix(6);
  if (!rest.empty() && rest.front() != ' ') return std::nullopt;  // e.g. "# newdocs"
  while (rest.starts_with(' ')) rest.remove_prefix(1);
  if (!rest.starts_with("id")) return std::string();
  rest.remove_prefix(2);
  while (rest.starts_with(' ')) rest.remove_prefix(1);
  if (!rest.starts_with('=')) return std::string();
  rest.remove_prefix(1);
  while (rest.starts_with(' ')) rest.remove_prefix(1);
  while (rest.ends_with(' ') || rest.ends_with('\r')) rest.remove_suffix(1);
  return std::string(rest);
}

}  // namespace

ConlluBlockReader::ConlluBlockReader(std::vector<std::filesystem::path> files)
    : files_(std::move(files)) {
  if (!files_.empty()) open(0);
}

void ConlluBlockReader::open(std::size_t file) {
  in_ = std::ifstream();
  file_ = file;
  offset_ = 0;
  line_ = 0;
  if (file_ >= files_.size()) return;
  in_.open(files_[file_], std::ios::binary);
  if (!in_) throw UserError("cannot read CoNLL-U file " + files_[file_].string());
}

void ConlluBlockReader::seek(const BlockPosition& position) {
  if (position.file != file_ || !in_.is_open()) open(position.file);
  in_.clear();
  in_.seekg(static_cast<std::streamoff>(position.offset));
  offset_ = position.offset;
  line_ = position.line - 1;
}

bool ConlluBlockReader::next(ConlluBlock& block) {
  block.lines.clear();
  block.newdoc.reset();
  std::string line;
  while (file_ < files_.size()) {
    while (std::getline(in_, line)) {
      const std::uint64_t line_offset = offset_;
      offset_ += line.size() + (in_.eof() ? 0 : 1);
      ++line_;
      if (line.empty() || line == "\r") {
        if (block.lines.empty()) continue;
        return true;
      }
      if (block.lines.empty()) block.position = {file_, line_offset, line_};
      if (!block.newdoc) block.newdoc = newdoc_id(line);
      block.lines.push_back(std::move(line));
    }
    if (in_.bad()) throw UserError("cannot read CoNLL-U file " + files_[file_].string());
    if (!block.lines.empty()) return true;  // the last block may lack its blank line
    open(file_ + 1);
  }
  return false;
}

std::string block_line_label(const ConlluBlockReader& reader, const ConlluBlock& block,
                             std::size_t index) {
  return reader.file(block.position.file).string() + ":" +
         std::to_string(block.position.line + index);
}

}  // namespace dac::annotation
