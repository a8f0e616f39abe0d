// Plugin kind `corpus`: a source of raw text documents (files, JSON Lines, Wikipedia dumps,
// Gutenberg books, the built-in generator, ...).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dac {

struct Document {
  std::string id;    // stable within the corpus, e.g. "wiki_00#12"
  std::string text;  // raw text as read (the normalizer works on it later)
};

class Corpus {
 public:
  static constexpr std::string_view kind = "corpus";
  virtual ~Corpus() = default;

  // Passes every document to `sink` in a deterministic order; stops early when `sink` returns
  // false. Bad input is a UserError naming the file and line.
  virtual void read(const std::function<bool(Document&&)>& sink) = 0;
  // One line for logs, e.g. "plain text: 3 files under data/books".
  virtual std::string describe() const = 0;
  // Approximate total size in bytes for progress reports; 0 when unknown.
  virtual std::uint64_t size_hint_bytes() const { return 0; }
  // Counts from the last read() (documents, bytes, skipped empty documents, repaired UTF-8, ...),
  // as named integers for the prepare stage's statistics.
  virtual std::vector<std::pair<std::string, std::uint64_t>> statistics() const { return {}; }
};

}  // namespace dac
