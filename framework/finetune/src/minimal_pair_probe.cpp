// Scoring the minimal pairs of several files with one pretrained encoder, and the probe's JSON.
#include "dac/finetune/minimal_pair_probe.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>

#include <map>
#include <sstream>

#include "dac/finetune/glue_agreements.hpp"
#include "dac/finetune/glue_inputs.hpp"
#include "dac/glue/minimal_pairs.hpp"
#include "dac/kinds/encoder.hpp"
#include "dac/text/vocab.hpp"
#include "dac/train/agreement_extras.hpp"
#include "dac/train/compute.hpp"

namespace dac::finetune {
namespace {

// The hook factory that gives an encoder reading agreement chunks (DACBERT) the chunks of every
// scored sentence: each is annotated with the annotator its pretraining data was prepared with,
// as GLUE fine-tuning does, and each row (a masked copy of a sentence) gets that sentence's
// chunks. A UserError naming the model when its data recorded no annotator or the annotator lacks
// one of the types.
std::function<PllBatchHook(const std::vector<std::string>&)> agreement_hook_factory(
    const PretrainedModel& model, PluginHost& plugins, const GlueTokenizer& tokenizer,
    const std::vector<std::string>& types) {
  return [&model, &plugins, &tokenizer, types](const std::vector<std::string>& sentences) {
    std::vector<GlueExample> examples;
    for (const std::string& sentence : sentences)
      examples.push_back(GlueExample{.sentence_a = sentence});
    GlueAgreements agreements(model, plugins, tokenizer, types);
    SplitAgreements chunks = agreements.annotate(examples, tokenizer.encode(examples));
    const BatchExtras extras = agreement_batch_extras({{"probe", std::move(chunks)}}, types);
    return PllBatchHook([extras](const std::vector<std::size_t>& sentence_of_row, Batch& batch) {
      extras("probe", sentence_of_row, batch);
    });
  };
}

// Every pair's good then bad sentence, file by file.
std::vector<std::string> probe_sentences(const std::vector<glue::ScoredPairs>& files) {
  std::vector<std::string> sentences;
  for (const glue::ScoredPairs& file : files)
    for (const glue::MinimalPair& pair : file.pairs) {
      sentences.push_back(pair.good);
      sentences.push_back(pair.bad);
    }
  return sentences;
}

// The sentences to score, each once: sentences that give the model the same input share one
// score, so that they tie exactly (scores of the same input in different rows of a batch may
// differ in the last bits).
struct DistinctSentences {
  std::vector<std::string> texts;
  std::vector<std::vector<std::int32_t>> ids;
  std::vector<std::size_t> index_of;  // per probe sentence, its distinct sentence
};

// Alike means the same ids, or the same text when `by_text` (extras made from the text may differ
// between texts of the same ids).
DistinctSentences distinct_sentences(const std::vector<std::string>& texts,
                                     const std::vector<std::vector<std::int32_t>>& ids,
                                     bool by_text) {
  DistinctSentences distinct;
  std::map<std::vector<std::int32_t>, std::size_t> by_ids;
  std::map<std::string, std::size_t> by_texts;
  for (std::size_t s = 0; s < texts.size(); ++s) {
    const std::size_t next = distinct.texts.size();
    const std::size_t index = by_text ? by_texts.try_emplace(texts[s], next).first->second
                                      : by_ids.try_emplace(ids[s], next).first->second;
    if (index == next) {
      distinct.texts.push_back(texts[s]);
      distinct.ids.push_back(ids[s]);
    }
    distinct.index_of.push_back(index);
  }
  return distinct;
}

}  // namespace

MinimalPairProbe run_minimal_pair_probe(const PretrainedModel& model, PluginHost& plugins,
                                        const MinimalPairProbeOptions& options,
                                        const train::Compute& compute) {
  MinimalPairProbe probe;
  for (const std::filesystem::path& path : options.files)
    probe.files.push_back(
        {.path = path.string(), .pairs = glue::read_minimal_pairs(path, options.max_pairs)});
  const std::vector<std::string> sentences = probe_sentences(probe.files);

  std::shared_ptr<Encoder> encoder = load_pretrained_encoder(model, plugins);
  encoder->to(compute.device);
  probe.agreement_types = train::agreement_types_read_by(*encoder);
  const text::Vocab vocab = pretrained_vocab(model);
  const GlueTokenizer tokenizer(vocab, model.normalizer,
                                static_cast<std::size_t>(encoder->max_positions()));
  std::vector<std::vector<std::int32_t>> ids;
  ids.reserve(sentences.size());
  for (const std::string& sentence : sentences) {
    EncodedExample encoded = tokenizer.encode(GlueExample{.sentence_a = sentence});
    probe.truncated_sentences += encoded.truncated ? 1 : 0;
    ids.push_back(std::move(encoded.ids));
  }
  // Without a hook of the caller's, DACBERT gets the chunks of the sentences when its pretraining
  // data recorded the annotator that found them.
  std::function<PllBatchHook(const std::vector<std::string>&)> batch_hook = options.batch_hook;
  if (!batch_hook && !probe.agreement_types.empty() && !model.annotator.entries().empty())
    batch_hook = agreement_hook_factory(model, plugins, tokenizer, probe.agreement_types);
  const bool hooked = static_cast<bool>(batch_hook);
  const DistinctSentences distinct = distinct_sentences(sentences, ids, hooked);

  PllOptions scoring{.batch_size = options.batch_size, .progress = options.progress};
  if (hooked) scoring.hook = batch_hook(distinct.texts);
  probe.agreement_inputs = !probe.agreement_types.empty() && hooked;
  const std::vector<double> scores =
      pseudo_log_likelihoods(*encoder, distinct.ids, vocab.mask(), vocab.pad(), compute, scoring);

  std::size_t sentence = 0;
  for (glue::ScoredPairs& file : probe.files)
    for (std::size_t k = 0; k < file.pairs.size(); ++k, sentence += 2)
      file.scores.push_back({.good = scores[distinct.index_of[sentence]],
                             .bad = scores[distinct.index_of[sentence + 1]]});
  probe.accuracy = glue::probe_accuracy(probe.files);
  return probe;
}

std::string agreement_embeddings_note(const PretrainedModel& model, const MinimalPairProbe& probe) {
  if (probe.agreement_types.empty() || probe.agreement_inputs) return "";
  return fmt::format(
      "note: {} reads agreement chunks ({}), but probing gives it none: its agreement embeddings "
      "are off, so the scores are those of the model without them",
      model.label, fmt::join(probe.agreement_types, ", "));
}

ConfigNode minimal_pair_probe_config(const PretrainedModel& model, const MinimalPairProbe& probe,
                                     const std::string& device_name) {
  ConfigNode config = ConfigNode::table();
  config.set("model", ConfigNode::string(model.label));
  config.set("checkpoint", ConfigNode::string(model.checkpoint.string()));
  config.set("device", ConfigNode::string(device_name));
  const char* agreement = probe.agreement_types.empty() ? "none"
                          : probe.agreement_inputs      ? "on"
                                                        : "off";
  config.set("agreement_embeddings", ConfigNode::string(agreement));
  config.set("truncated_sentences",
             ConfigNode::integer(static_cast<std::int64_t>(probe.truncated_sentences)));
  const ConfigNode results = glue::probe_results_config(probe.files, probe.accuracy);
  for (const auto& [key, value] : results.entries()) config.set(key, value);
  return config;
}

}  // namespace dac::finetune
