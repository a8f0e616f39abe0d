// Plugin kind `annotator`: the prepare stage's per-document annotation hook. Given a document's
// raw text and its wordpieces (with byte offsets), an annotator returns agreement chunks over
// wordpiece positions (a parser plus agreement extractors, typically). Without one, rows carry no
// chunks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dac::text {

// A chunk over the wordpieces of one document (indices into its token list).
struct DocumentChunk {
  std::uint16_t type = 0;              // index into DocumentAnnotator::types()
  std::uint32_t controller = 0;        // wordpiece index of the controller's first piece
  std::uint32_t target = 0;            // wordpiece index of the target's first piece
  std::vector<std::uint32_t> members;  // every wordpiece of every chunk word, ascending
};

class DocumentAnnotator {
 public:
  static constexpr std::string_view kind = "annotator";
  virtual ~DocumentAnnotator() = default;
  // The agreement type names; DocumentChunk::type indexes this list.
  virtual std::vector<std::string> types() const = 0;
  // Appends the chunks of one document. `offsets` are the [begin, end) byte ranges of each
  // wordpiece in `raw_text`. Must be thread-safe.
  virtual void annotate(std::string_view raw_text,
                        const std::vector<std::pair<std::uint32_t, std::uint32_t>>& offsets,
                        std::vector<DocumentChunk>& chunks) const = 0;
};

}  // namespace dac::text
