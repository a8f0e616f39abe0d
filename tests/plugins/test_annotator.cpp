// Test plugin library: an annotator whose chunks are easy to check. Every wordpiece spelling "the"
// (type "determiner_next") or "on" (type "preposition_next") forms a chunk with the wordpiece
// after it: target = that wordpiece, controller = the next one.
#include <algorithm>
#include <cctype>

#include "dac/plugin.hpp"
#include "dac/text/document_annotator.hpp"

namespace {

class NextWordAnnotator : public dac::text::DocumentAnnotator {
 public:
  std::vector<std::string> types() const override {
    return {"determiner_next", "preposition_next"};
  }
  void annotate(const dac::Document& document,
                const std::vector<std::pair<std::uint32_t, std::uint32_t>>& offsets,
                std::vector<dac::text::DocumentChunk>& chunks) const override {
    const std::string_view raw = document.text;
    for (std::uint32_t i = 0; i + 1 < offsets.size(); ++i) {
      std::string word(raw.substr(offsets[i].first, offsets[i].second - offsets[i].first));
      std::transform(word.begin(), word.end(), word.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      const int type = word == "the" ? 0 : word == "on" ? 1 : -1;
      if (type >= 0) chunks.push_back({static_cast<std::uint16_t>(type), i + 1, i, {i, i + 1}});
    }
  }
};

void register_annotator(dac::PluginRegistrar& registrar) {
  registrar.add<dac::text::DocumentAnnotator>(
      {.name = "next_word", .version = "1", .summary = "'the'/'on' + the next wordpiece"},
      [](const dac::Options&) { return std::make_unique<NextWordAnnotator>(); });
}

}  // namespace

DAC_PLUGIN_ENTRY(register_annotator)
