// Loading, saving and looking up WordPiece vocabularies.
#include "dac/text/vocab.hpp"

#include <fstream>
#include <sstream>

#include "dac/error.hpp"

namespace dac::text {

namespace {

std::vector<std::string> read_vocab_lines(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError("cannot read vocabulary file " + path.string());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  if (text.empty()) throw UserError(path.string() + ":1: the vocabulary file is empty");
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.emplace_back(line);
    start = end + 1;
  }
  return lines;
}

}  // namespace

Vocab Vocab::load(const std::filesystem::path& path) {
  return Vocab(read_vocab_lines(path), path.string());
}

Vocab::Vocab(std::vector<std::string> tokens, std::string source)
    : source_(std::move(source)), tokens_(std::move(tokens)) {
  if (tokens_.empty()) throw UserError(source_ + ":1: the vocabulary is empty");
  ids_.reserve(tokens_.size());
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    const std::string line = source_ + ":" + std::to_string(i + 1);
    if (tokens_[i].empty()) throw UserError(line + ": empty token (each line must hold one token)");
    const auto [it, added] = ids_.emplace(tokens_[i], static_cast<std::int32_t>(i));
    if (!added)
      throw UserError(line + ": duplicate token '" + tokens_[i] + "', already on line " +
                      std::to_string(it->second + 1));
  }
  pad_ = special("[PAD]");
  unk_ = special("[UNK]");
  cls_ = special("[CLS]");
  sep_ = special("[SEP]");
  mask_ = special("[MASK]");
}

Vocab& Vocab::operator=(const Vocab& other) {
  if (this != &other) *this = Vocab(other);
  return *this;
}

std::int32_t Vocab::special(std::string_view name) const {
  const std::int32_t found = id(name);
  if (found < 0)
    throw UserError(source_ + ": missing special token " + std::string(name) +
                    " (a vocabulary needs [PAD], [UNK], [CLS], [SEP] and [MASK])");
  return found;
}

void Vocab::save(const std::filesystem::path& path) const {
  std::ofstream out(path, std::ios::binary);
  for (const auto& token : tokens_) out << token << '\n';
  out.flush();
  if (!out) throw UserError("cannot write vocabulary file " + path.string());
}

}  // namespace dac::text
