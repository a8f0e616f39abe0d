// The built-in tagger and dependency parser at inference: loads a model file written by `dacrun
// train-parser` and annotates sentences (UPOS, head, relation) in length-sorted batches on CPU
// threads, or on the GPU in CUDA builds. Torch stays out of this header.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dac/parser/parser_config.hpp"
#include "dac/syntax/sentence.hpp"

namespace dac::parser {

struct ParseOptions {
  unsigned threads = 1;           // CPU worker threads (each runs its own batches)
  std::size_t batch_words = 512;  // words per inference batch (smaller batches stay in cache)
  std::string device = "cpu";     // "cpu", "cuda" or "auto"
};

class DependencyParser {
 public:
  // A UserError naming the file when it is missing, not a parser model, or of another version.
  explicit DependencyParser(const std::filesystem::path& model, ParseOptions options = {});
  ~DependencyParser();
  DependencyParser(const DependencyParser&) = delete;
  DependencyParser& operator=(const DependencyParser&) = delete;

  // Fills upos, head and deprel of every word of every sentence; forms are kept as given.
  // Thread-safe (calls are serialised; each call uses the configured threads).
  void annotate(std::vector<Sentence>& sentences) const;

  const ParserConfig& config() const;
  // Facts stored with the model (preset, training data, dev scores, ...).
  const std::map<std::string, std::string>& facts() const;
  // E.g. "parser.model: accurate preset, 3x300 BiLSTM, 17 tags, 51 relations, cpu x2".
  std::string describe() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
  mutable std::mutex mutex_;
};

}  // namespace dac::parser
