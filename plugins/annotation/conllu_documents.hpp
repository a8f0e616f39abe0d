// The parse of each corpus document from CoNLL-U files of an externally parsed corpus (spaCy,
// Stanza, UDPipe output). Documents pair by "# newdoc id = X" = Document::id when the files have
// document ids, else by order (a document's sentences are those that cover its text). The files
// are streamed in step with the corpus; documents the corpus asks for out of order are found
// through an index of the document ids passed over, so memory stays bounded.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "conllu_blocks.hpp"
#include "dac/kinds/corpus.hpp"
#include "dac/syntax/sentence.hpp"

namespace dac::annotation {

enum class ConlluPairing { automatic, by_id, by_order };

class ConlluDocuments {
 public:
  ConlluDocuments(std::vector<std::filesystem::path> files, ConlluPairing pairing);

  // The sentences of `document` with Word::begin/end into document.text. A text that does not
  // match is a UserError naming the CoNLL-U file and line, the document id and the byte position.
  std::vector<Sentence> parse_of(const Document& document);
  // Keeps in step with a document whose parse is not needed.
  void skip(const Document& document);
  bool pairs_by_id() const { return by_id_; }

 private:
  std::vector<ConlluBlock> blocks_by_id(const std::string& id);
  // The blocks of the document whose first block is in `pending_`, leaving the next document's
  // first block there.
  std::vector<ConlluBlock> read_pending_document();
  std::vector<Sentence> locate_blocks(const std::vector<ConlluBlock>& blocks,
                                      const Document& document) const;
  std::vector<Sentence> locate_in_order(const Document& document);
  Sentence parse_block(const ConlluBlock& block) const;
  [[noreturn]] void mismatch(const ConlluBlock& block, const Sentence& sentence, std::size_t word,
                             const Document& document, std::size_t position) const;

  ConlluBlockReader frontier_;                            // reads every block once, in order
  std::optional<ConlluBlockReader> revisit_;              // reads documents found in the index
  std::optional<ConlluBlock> pending_;                    // the next block of frontier_
  std::unordered_map<std::string, BlockPosition> index_;  // documents passed over, not yet used
  bool by_id_ = false;
};

}  // namespace dac::annotation
