// Plugin kind `annotator`: the prepare stage's per-document annotation hook. Given a document (id
// and raw text) and its wordpieces (with byte offsets), an annotator returns agreement chunks over
// wordpiece positions (a parser plus agreement extractors, typically). Without one, rows carry no
// chunks.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dac/config.hpp"
#include "dac/kinds/corpus.hpp"

namespace dac {
class PluginHost;
}

namespace dac::text {

// A chunk over the wordpieces of one document (indices into its token list).
struct DocumentChunk {
  std::uint16_t type = 0;              // index into DocumentAnnotator::types()
  std::uint32_t controller = 0;        // wordpiece index of the controller's first piece
  std::uint32_t target = 0;            // wordpiece index of the target's first piece
  std::vector<std::uint32_t> members;  // every wordpiece of every chunk word, ascending
};

// The prepare stage calls, in this order: open() once; then per batch of documents in corpus
// order, begin_batch() (one thread) and annotate() for the batch's kept documents (several
// threads); statistics() whenever it reports progress.
class DocumentAnnotator {
 public:
  static constexpr std::string_view kind = "annotator";
  virtual ~DocumentAnnotator() = default;
  // The agreement type names; DocumentChunk::type indexes this list.
  virtual std::vector<std::string> types() const = 0;
  // Builds the components the annotator's options select (a parser, extractors) from the run's
  // plugins; `config_path` is the dotted path of the annotator's table, for errors.
  virtual void open(PluginHost& /*plugins*/, const std::string& /*config_path*/) {}
  // Every batch of documents, in corpus order, before annotate() sees any of them; `annotated` is
  // false for a batch whose chunks come from elsewhere (the cache of an interrupted run), so an
  // annotator that reads input in step with the corpus (an external parse) can keep up.
  virtual void begin_batch(std::span<const Document> /*batch*/, bool /*annotated*/) {}
  // Appends the chunks of one document. `offsets` are the [begin, end) byte ranges of each
  // wordpiece in `document.text`. Must be thread-safe.
  virtual void annotate(const Document& document,
                        const std::vector<std::pair<std::uint32_t, std::uint32_t>>& offsets,
                        std::vector<DocumentChunk>& chunks) const = 0;
  // Counts gathered so far (documents, words, chunks per type, parse time, ...); thread-safe. An
  // integer `words` entry, when present, is shown as words/s in the progress line.
  virtual ConfigNode statistics() const { return ConfigNode::table(); }
  // Continues the counts of an interrupted run: `saved` is what statistics() returned after the
  // batches whose chunks the resumed run takes from its cache.
  virtual void restore_statistics(const ConfigNode& /*saved*/) {}
};

}  // namespace dac::text
