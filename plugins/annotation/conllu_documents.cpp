// Pairing CoNLL-U documents with corpus documents and locating their words in the raw text.
#include "conllu_documents.hpp"

#include "dac/error.hpp"
#include "dac/syntax/conllu.hpp"
#include "text_location.hpp"

namespace dac::annotation {

namespace {

// The index in block.lines of the line of word `word` (0-based), or of the multiword token that
// starts with it.
std::size_t word_line(const ConlluBlock& block, std::size_t word) {
  const std::string id = std::to_string(word + 1);
  for (std::size_t i = 0; i < block.lines.size(); ++i) {
    const std::string& line = block.lines[i];
    if (line.starts_with(id + "\t") || line.starts_with(id + "-")) return i;
  }
  return 0;
}

// Up to 24 bytes of `text` from `position`, with line breaks shown as \n, for messages.
std::string excerpt(std::string_view text, std::size_t position) {
  std::string out;
  for (char c : text.substr(std::min(position, text.size()), 24))
    out += c == '\n' ? "\\n" : std::string(1, c);
  return position >= text.size() ? "the end of the text" : "'" + out + "'";
}

std::string join_files(const std::vector<std::filesystem::path>& files) {
  std::string out;
  for (const auto& file : files) out += (out.empty() ? "" : ", ") + file.string();
  return out;
}

}  // namespace

ConlluDocuments::ConlluDocuments(std::vector<std::filesystem::path> files, ConlluPairing pairing)
    : frontier_(std::move(files)) {
  ConlluBlock first;
  if (frontier_.next(first)) pending_ = std::move(first);
  by_id_ = pairing == ConlluPairing::by_id || (pairing == ConlluPairing::automatic && pending_ &&
                                               pending_->newdoc && !pending_->newdoc->empty());
  if (by_id_ && pending_ && !pending_->newdoc)
    throw UserError(block_line_label(frontier_, *pending_, 0) +
                    ": documents pair by id, but the first sentence has no \"# newdoc id = ...\"");
}

Sentence ConlluDocuments::parse_block(const ConlluBlock& block) const {
  return parse_conllu_sentence(block.lines, frontier_.file(block.position.file).string(),
                               block.position.line);
}

void ConlluDocuments::mismatch(const ConlluBlock& block, const Sentence& sentence, std::size_t word,
                               const Document& document, std::size_t position) const {
  throw UserError(block_line_label(frontier_, block, word_line(block, word)) +
                  ": the parse does not match the text of document '" + document.id + "': word " +
                  std::to_string(word + 1) + " '" + sentence.words[word].form +
                  "' is not at byte " + std::to_string(position) +
                  " of the raw document, which has " + excerpt(document.text, position));
}

std::vector<ConlluBlock> ConlluDocuments::read_pending_document() {
  std::vector<ConlluBlock> blocks{std::move(*pending_)};
  pending_.reset();
  ConlluBlock block;
  while (frontier_.next(block)) {
    if (block.newdoc) {
      pending_ = std::move(block);
      break;
    }
    blocks.push_back(std::move(block));
  }
  return blocks;
}

std::vector<ConlluBlock> ConlluDocuments::blocks_by_id(const std::string& id) {
  if (const auto found = index_.find(id); found != index_.end()) {
    if (!revisit_) revisit_.emplace(frontier_.files());
    revisit_->seek(found->second);
    index_.erase(found);
    std::vector<ConlluBlock> blocks(1);
    revisit_->next(blocks[0]);
    ConlluBlock block;
    while (revisit_->next(block) && !block.newdoc) blocks.push_back(std::move(block));
    return blocks;
  }
  while (pending_) {
    const std::string pending_id = pending_->newdoc.value_or("");
    if (pending_id == id) return read_pending_document();
    const BlockPosition position = pending_->position;
    const auto [at, inserted] = index_.emplace(pending_id, position);
    if (!inserted)
      throw UserError(block_line_label(frontier_, *pending_, 0) + ": document id '" + pending_id +
                      "' was used before, at " + frontier_.file(at->second.file).string() + ":" +
                      std::to_string(at->second.line));
    read_pending_document();
  }
  throw UserError("document '" + id + "' has no \"# newdoc id = " + id +
                  "\" in the CoNLL-U files " + join_files(frontier_.files()) +
                  " (documents pair by id because the files have document ids)");
}

std::vector<Sentence> ConlluDocuments::locate_blocks(const std::vector<ConlluBlock>& blocks,
                                                     const Document& document) const {
  std::vector<Sentence> sentences;
  std::size_t cursor = 0;
  for (const ConlluBlock& block : blocks) {
    Sentence sentence = parse_block(block);
    const auto located = locate_sentence(sentence, document.text, cursor);
    if (const auto* wrong = std::get_if<LocationMismatch>(&located))
      mismatch(block, sentence, wrong->word, document, wrong->position);
    cursor = std::get<std::size_t>(located);
    sentences.push_back(std::move(sentence));
  }
  cursor = skip_whitespace(document.text, cursor);
  if (cursor < document.text.size())
    throw UserError(block_line_label(frontier_, blocks.back(), blocks.back().lines.size() - 1) +
                    ": the parse of document '" + document.id + "' ends here, at byte " +
                    std::to_string(cursor) + " of the raw document, which goes on with " +
                    excerpt(document.text, cursor));
  return sentences;
}

std::vector<Sentence> ConlluDocuments::locate_in_order(const Document& document) {
  std::vector<Sentence> sentences;
  std::size_t cursor = skip_whitespace(document.text, 0);
  while (cursor < document.text.size()) {
    if (!pending_)
      throw UserError("the CoNLL-U files " + join_files(frontier_.files()) +
                      " end before document '" + document.id + "' does, at byte " +
                      std::to_string(cursor) + " of the raw document (" +
                      excerpt(document.text, cursor) + ")");
    const ConlluBlock block = std::move(*pending_);
    pending_.reset();
    ConlluBlock next;
    if (frontier_.next(next)) pending_ = std::move(next);
    Sentence sentence = parse_block(block);
    const auto located = locate_sentence(sentence, document.text, cursor);
    if (const auto* wrong = std::get_if<LocationMismatch>(&located))
      mismatch(block, sentence, wrong->word, document, wrong->position);
    cursor = skip_whitespace(document.text, std::get<std::size_t>(located));
    sentences.push_back(std::move(sentence));
  }
  return sentences;
}

std::vector<Sentence> ConlluDocuments::parse_of(const Document& document) {
  if (!by_id_) return locate_in_order(document);
  return locate_blocks(blocks_by_id(document.id), document);
}

void ConlluDocuments::skip(const Document& document) {
  if (!by_id_) {
    locate_in_order(document);  // its sentences must be passed to reach the next document's
    return;
  }
  // In step with the corpus, the document is the next one; else it is simply not read.
  if (index_.erase(document.id) == 0 && pending_ && pending_->newdoc == document.id)
    read_pending_document();
}

}  // namespace dac::annotation
