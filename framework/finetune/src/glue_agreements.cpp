// Annotating GLUE examples with the pretraining data's annotator, placing the chunks on the
// encoded input, caching them per split, and turning them into each batch's agreement extras.
#include "dac/finetune/glue_agreements.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "dac/error.hpp"
#include "dac/experiment.hpp"
#include "dac/kinds/encoder.hpp"
#include "dac/model/agreement_chunks.hpp"
#include "dac/parallel.hpp"
#include "dac/plugin_host.hpp"
#include "dac/train/agreement_extras.hpp"
#include "glue_agreement_cache.hpp"

namespace dac::finetune {

namespace fs = std::filesystem;

namespace {

// Examples per begin_batch() call.
constexpr std::size_t kExamplesPerBatch = 256;

// The text every cache of this model and tokenizer depends on besides the examples.
std::string fingerprint_base(const PretrainedModel& model, const GlueTokenizer& tokenizer) {
  return "annotator\n" + to_toml(model.annotator) + "\nnormalizer " + model.normalizer +
         "\nmax_length " + std::to_string(tokenizer.max_length()) + "\nvocabulary\n" +
         model.vocab_text;
}

std::string examples_fingerprint(const std::string& base,
                                 const std::vector<GlueExample>& examples) {
  std::string text = base;
  for (const GlueExample& example : examples)
    text += "\n" + example.sentence_a + "\t" + example.sentence_b;
  return content_hash(text);
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text.empty() ? "none" : text;
}

}  // namespace

std::vector<std::string> agreement_types_of(const PretrainedModel& model, PluginHost& plugins) {
  const std::shared_ptr<Encoder> encoder =
      plugins.create<Encoder>(model.encoder, model.checkpoint.string() + ": encoder");
  return train::agreement_types_read_by(*encoder);
}

void place_sentence_chunks(const std::vector<text::DocumentChunk>& chunks, std::size_t first,
                           std::size_t kept, std::vector<ExampleChunk>& out) {
  for (const text::DocumentChunk& chunk : chunks) {
    if (chunk.controller >= kept || chunk.target >= kept) continue;
    ExampleChunk placed;
    placed.type = chunk.type;
    placed.controller = static_cast<std::uint32_t>(first + chunk.controller);
    placed.target = static_cast<std::uint32_t>(first + chunk.target);
    for (std::uint32_t member : chunk.members)
      if (member < kept) placed.members.push_back(static_cast<std::uint32_t>(first + member));
    if (!placed.members.empty()) out.push_back(std::move(placed));
  }
}

SplitAgreements annotate_examples(text::DocumentAnnotator& annotator,
                                  const GlueTokenizer& tokenizer,
                                  const std::vector<GlueExample>& examples,
                                  const std::vector<EncodedExample>& encoded) {
  if (examples.size() != encoded.size())
    throw std::invalid_argument("annotate_examples: examples and encoded examples differ");
  SplitAgreements result;
  result.types = annotator.types();
  result.examples.resize(examples.size());
  const unsigned workers = std::max(1u, std::thread::hardware_concurrency());
  for (std::size_t start = 0; start < examples.size(); start += kExamplesPerBatch) {
    const std::size_t end = std::min(examples.size(), start + kExamplesPerBatch);
    // Sentence A and (for pairs) B of each example, each a document of its own.
    std::vector<Document> documents;
    std::vector<std::size_t> example_of;
    std::vector<bool> is_b;
    for (std::size_t e = start; e < end; ++e) {
      documents.push_back({std::to_string(examples[e].index) + "/a", examples[e].sentence_a});
      example_of.push_back(e);
      is_b.push_back(false);
      if (!examples[e].sentence_b.empty()) {
        documents.push_back({std::to_string(examples[e].index) + "/b", examples[e].sentence_b});
        example_of.push_back(e);
        is_b.push_back(true);
      }
    }
    annotator.begin_batch(documents, /*annotated=*/true);
    std::vector<std::vector<text::DocumentChunk>> chunks(documents.size());
    parallel_slices(documents.size(), workers, [&](unsigned, std::size_t begin, std::size_t end) {
      for (std::size_t d = begin; d < end; ++d)
        annotator.annotate(documents[d], tokenizer.pieces(documents[d].text).offsets, chunks[d]);
    });
    for (std::size_t d = 0; d < documents.size(); ++d) {
      const SentenceSpans spans = sentence_spans(encoded[example_of[d]]);
      std::vector<ExampleChunk>& out = result.examples[example_of[d]];
      if (is_b[d])
        place_sentence_chunks(chunks[d], spans.b_begin, spans.b_length, out);
      else
        place_sentence_chunks(chunks[d], 1, spans.a_length, out);
    }
  }
  return result;
}

GlueAgreements::GlueAgreements(const PretrainedModel& model, PluginHost& plugins,
                               const GlueTokenizer& tokenizer, std::vector<std::string> types)
    : model_(&model), plugins_(&plugins), tokenizer_(&tokenizer), types_(std::move(types)) {
  if (!model.annotator.contains("name"))
    throw UserError(fmt::format(
        "model {} ({}): its encoder reads agreement chunks ({}) but its pretraining data recorded "
        "no annotator (annotator.toml in the pretrain stage folder, copied there from the prepare "
        "stage); GLUE sentences need the annotator the data was prepared with: prepare the data "
        "with an `annotator` and pretrain again, or give the pretrain stage folder rather than a "
        "copied checkpoint",
        model.label, model.checkpoint.string(), joined(types_)));
  annotator_source_ = model.label + " annotator.toml";
  fingerprint_base_ = fingerprint_base(model, tokenizer);
}

GlueAgreements::~GlueAgreements() = default;

text::DocumentAnnotator& GlueAgreements::annotator() {
  if (!annotator_) {
    annotator_ = plugins_->create<text::DocumentAnnotator>(model_->annotator, annotator_source_);
    check_types(annotator_->types());
    annotator_->open(*plugins_, annotator_source_);
  }
  return *annotator_;
}

void GlueAgreements::check_types(const std::vector<std::string>& produced) const {
  for (const std::string& type : types_)
    if (std::find(produced.begin(), produced.end(), type) == produced.end())
      throw UserError(fmt::format(
          "model {}: the encoder reads agreement type '{}' but the annotator its data was "
          "prepared with ({}) produces no such chunks; it has: {}",
          model_->label, type, annotator_source_, joined(produced)));
}

SplitAgreements GlueAgreements::split_chunks(const std::string& label,
                                             const std::vector<GlueExample>& examples,
                                             const std::vector<EncodedExample>& encoded,
                                             const fs::path& cache,
                                             const std::function<void(const std::string&)>& log) {
  const auto start = std::chrono::steady_clock::now();
  const std::string fingerprint = examples_fingerprint(fingerprint_base_, examples);
  std::optional<SplitAgreements> chunks = read_agreement_cache(cache, fingerprint, examples.size());
  const bool cached = chunks.has_value();
  if (cached) {
    check_types(chunks->types);
  } else {
    chunks = annotate(examples, encoded);
    write_agreement_cache(cache, *chunks, fingerprint, tokenizer_->max_length());
  }
  if (log) {
    std::vector<std::size_t> counts(chunks->types.size(), 0);
    for (const auto& example : chunks->examples)
      for (const ExampleChunk& chunk : example) ++counts.at(chunk.type);
    std::string text;
    for (std::size_t t = 0; t < counts.size(); ++t)
      text += fmt::format("{}{} {}", text.empty() ? "" : ", ", chunks->types[t], counts[t]);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    log(fmt::format(
        "{}: agreement chunks of {} examples: {} ({})", label, examples.size(),
        text.empty() ? "no types" : text,
        cached ? "from " + cache.string()
               : fmt::format("annotated in {:.1f} s, cached in {}", seconds, cache.string())));
  }
  return std::move(*chunks);
}

SplitAgreements GlueAgreements::annotate(const std::vector<GlueExample>& examples,
                                         const std::vector<EncodedExample>& encoded) {
  return annotate_examples(annotator(), *tokenizer_, examples, encoded);
}

BatchExtras agreement_batch_extras(std::map<std::string, SplitAgreements> splits,
                                   const std::vector<std::string>& types) {
  // Per split, the index of each of `types` in the split's own type list.
  std::map<std::string, std::vector<std::uint16_t>> type_indices;
  for (const auto& [split, chunks] : splits) {
    std::vector<std::uint16_t>& indices = type_indices[split];
    for (const std::string& type : types) {
      const auto found = std::find(chunks.types.begin(), chunks.types.end(), type);
      if (found == chunks.types.end())
        throw UserError("the agreement chunks of split '" + split + "' have no type '" + type +
                        "' (they have: " + joined(chunks.types) + ")");
      indices.push_back(static_cast<std::uint16_t>(found - chunks.types.begin()));
    }
  }
  auto shared = std::make_shared<const std::map<std::string, SplitAgreements>>(std::move(splits));
  return [shared, type_indices, types](const std::string& split,
                                       const std::vector<std::size_t>& indices, Batch& batch) {
    const auto found = shared->find(split);
    if (found == shared->end())
      throw std::logic_error("no agreement chunks were prepared for split '" + split + "'");
    const SplitAgreements& chunks = found->second;
    const std::int64_t seq_len = batch.seq_len();
    for (std::size_t t = 0; t < types.size(); ++t) {
      const std::uint16_t wanted = type_indices.at(split)[t];
      std::vector<std::vector<std::int64_t>> positions;
      for (std::size_t row = 0; row < indices.size(); ++row)
        for (const ExampleChunk& chunk : chunks.examples.at(indices[row])) {
          if (chunk.type != wanted) continue;
          std::vector<std::int64_t>& flat = positions.emplace_back();
          for (std::uint32_t member : chunk.members)
            flat.push_back(static_cast<std::int64_t>(row) * seq_len + member);
        }
      batch.extras[model::agreement_extra_name(types[t])] = train::agreement_extra(positions);
    }
  };
}

}  // namespace dac::finetune
