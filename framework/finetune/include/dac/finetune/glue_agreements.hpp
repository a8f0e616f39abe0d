// Agreement chunks of GLUE examples, for an encoder that reads them (DACBERT): both sentences of
// each example are annotated as separate documents by the annotator the model's pretraining data
// was prepared with, the chunks are placed on the positions of the encoded `[CLS] A [SEP] B [SEP]`
// input (a chunk whose controller or target was cut off is dropped, cut members are left out),
// each split's chunks are cached in the evaluation's folder, and every batch gets the
// "agreement/<type>" extras of the types the encoder reads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dac/finetune/glue_finetune.hpp"
#include "dac/finetune/glue_inputs.hpp"
#include "dac/finetune/pretrained_model.hpp"
#include "dac/text/document_annotator.hpp"

namespace dac {
class PluginHost;
}

namespace dac::finetune {

// The agreement types the model's encoder reads (from an encoder built by its plugin, without
// the weights); none for an encoder without agreement inputs.
std::vector<std::string> agreement_types_of(const PretrainedModel& model, PluginHost& plugins);

// One chunk of one encoded example; positions index EncodedExample::ids.
struct ExampleChunk {
  std::uint16_t type = 0;  // index into SplitAgreements::types
  std::uint32_t controller = 0;
  std::uint32_t target = 0;
  std::vector<std::uint32_t> members;  // ascending
};

// The chunks of one split's examples.
struct SplitAgreements {
  std::vector<std::string> types;                   // the annotator's agreement types
  std::vector<std::vector<ExampleChunk>> examples;  // per example, in the split's order
};

// Appends one sentence's chunks (over its wordpieces) to `out`: wordpiece i lands on position
// first + i when i < kept (the pieces truncation left), and is cut otherwise.
void place_sentence_chunks(const std::vector<text::DocumentChunk>& chunks, std::size_t first,
                           std::size_t kept, std::vector<ExampleChunk>& out);

// The chunks of every example: annotates sentence A and B of each with `annotator` (begin_batch
// and then annotate, several threads) and places them by the truncation of `encoded`.
SplitAgreements annotate_examples(text::DocumentAnnotator& annotator,
                                  const GlueTokenizer& tokenizer,
                                  const std::vector<GlueExample>& examples,
                                  const std::vector<EncodedExample>& encoded);

// The agreement chunks of a model's fine-tuning data.
class GlueAgreements {
 public:
  // `types`: the agreement types the encoder reads. A UserError naming the model when its
  // pretraining data recorded no annotator. The annotator is built and opened only when a split
  // has to be annotated.
  GlueAgreements(const PretrainedModel& model, PluginHost& plugins, const GlueTokenizer& tokenizer,
                 std::vector<std::string> types);
  ~GlueAgreements();

  // The split's chunks, read from `cache` when it was written for the same annotator table,
  // vocabulary, normaliser, maximum length and examples, else annotated and written there. A
  // UserError when the annotator lacks one of the encoder's types (naming it and the types it
  // has). `log` gets the chunks per type.
  SplitAgreements split_chunks(const std::string& label, const std::vector<GlueExample>& examples,
                               const std::vector<EncodedExample>& encoded,
                               const std::filesystem::path& cache,
                               const std::function<void(const std::string&)>& log = {});

  // The examples' chunks, annotated now (no cache): for sentences scored once, e.g. probing.
  SplitAgreements annotate(const std::vector<GlueExample>& examples,
                           const std::vector<EncodedExample>& encoded);

  const std::vector<std::string>& types() const { return types_; }

 private:
  text::DocumentAnnotator& annotator();
  void check_types(const std::vector<std::string>& produced) const;

  const PretrainedModel* model_;
  PluginHost* plugins_;
  const GlueTokenizer* tokenizer_;
  std::vector<std::string> types_;
  std::string annotator_source_;  // where the annotator table came from, for errors
  std::string fingerprint_base_;  // the hashed text of everything but the examples
  std::shared_ptr<text::DocumentAnnotator> annotator_;
};

// Extras for batches of these splits ("train", "validation", ...): each batch gets, for each of
// `types`, "agreement/<type>" [chunks, width] of flat positions row * seq_len + position (-1
// padding, width the batch's longest chunk of the type, at most train::kMaxChunkWordpieces).
BatchExtras agreement_batch_extras(std::map<std::string, SplitAgreements> splits,
                                   const std::vector<std::string>& types);

}  // namespace dac::finetune
