// The prepare stage's annotation cache: the chunks of every completed batch of documents, appended
// to annotation-cache.bin in the stage folder, and annotation-cache.toml recording how many batches
// (and bytes) are complete, with the annotator's statistics at that point. A resumed run takes
// those batches' chunks from here instead of annotating them again.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <span>
#include <vector>

#include "dac/config.hpp"
#include "dac/text/document_annotator.hpp"

namespace dac::plugins {

class AnnotationCache {
 public:
  // With `resume`, keeps the batches a previous run completed (bytes past the last recorded batch
  // are cut off); else starts empty.
  AnnotationCache(std::filesystem::path dir, bool resume);
  ~AnnotationCache();
  AnnotationCache(const AnnotationCache&) = delete;
  AnnotationCache& operator=(const AnnotationCache&) = delete;

  // Batches whose chunks the cache holds.
  std::uint64_t completed_batches() const { return completed_; }
  // The annotator's statistics after those batches (an empty table when there are none).
  const ConfigNode& saved_statistics() const { return statistics_; }

  // The chunks of the next cached batch, one list per document. `tokens` holds each document's
  // wordpiece count, which must be what the cache recorded (else the corpus or vocabulary changed:
  // a UserError).
  void read_batch(std::span<const std::size_t> tokens,
                  std::vector<std::vector<text::DocumentChunk>>& chunks);
  // Appends a batch and records it as complete, with the annotator's statistics after it.
  void append_batch(std::span<const std::size_t> tokens,
                    const std::vector<std::vector<text::DocumentChunk>>& chunks,
                    const ConfigNode& statistics);
  // Deletes the cache files (once the stage's output is complete).
  void remove();

 private:
  std::filesystem::path data_path_, record_path_;
  std::uint64_t completed_ = 0;
  std::uint64_t bytes_ = 0;  // of complete batches
  std::uint64_t read_ = 0;   // batches read back so far
  ConfigNode statistics_;
  std::FILE* reader_ = nullptr;
  std::FILE* writer_ = nullptr;
};

}  // namespace dac::plugins
