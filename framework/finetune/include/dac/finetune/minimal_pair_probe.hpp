// Agreement probing of a pretrained model on files of minimal pairs: each sentence is tokenised
// as fine-tuning does (`[CLS] sentence [SEP]` with the model's normaliser and vocabulary) and
// scored by pseudo-log-likelihood; a pair is right when its good sentence scores higher. Shared
// by `dacrun probe` and the probe stage. No torch in this header.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "dac/config.hpp"
#include "dac/finetune/pretrained_model.hpp"
#include "dac/finetune/pseudo_log_likelihood.hpp"
#include "dac/glue/probe_report.hpp"

namespace dac::finetune {

struct MinimalPairProbeOptions {
  std::vector<std::filesystem::path> files;  // JSON Lines of minimal pairs
  std::size_t max_pairs = 0;                 // the first pairs of each file; 0: all
  std::size_t batch_size = 128;              // rows per forward pass
  // Makes the scoring's batch hook from the sentences scored (every distinct text of the pairs'
  // good and bad sentences, in file and pair order; the hook's sentence indices refer to this
  // list), so that extra inputs such as agreement chunks can be added to each batch. Without it an
  // encoder that reads agreement chunks gets none.
  std::function<PllBatchHook(const std::vector<std::string>& sentences)> batch_hook;
  std::function<void(std::size_t done, std::size_t total)> progress;  // rows scored
};

struct MinimalPairProbe {
  std::vector<glue::ScoredPairs> files;
  glue::ProbeAccuracy accuracy;
  // The agreement types the encoder reads (empty for plain encoders), and whether the batches
  // carried them (a batch hook was given).
  std::vector<std::string> agreement_types;
  bool agreement_inputs = false;
  std::size_t truncated_sentences = 0;  // cut to the model's longest input
};

// Reads every file (all before the model loads, so bad input fails fast), loads the encoder on
// the compute's device, and scores every pair. Sentences that give the model the same input (the
// same wordpieces; with a batch hook, the same text) are scored once, so that they tie exactly.
MinimalPairProbe run_minimal_pair_probe(const PretrainedModel& model, PluginHost& plugins,
                                        const MinimalPairProbeOptions& options,
                                        const train::Compute& compute);

// A note for an encoder that reads agreement chunks but was probed without them ("" otherwise).
std::string agreement_embeddings_note(const PretrainedModel& model, const MinimalPairProbe& probe);

// probe.json: the model, its checkpoint, the device, "agreement_embeddings" ("on", "off" or
// "none" for an encoder that reads none), then the accuracy and every pair's scores.
ConfigNode minimal_pair_probe_config(const PretrainedModel& model, const MinimalPairProbe& probe,
                                     const std::string& device_name);

}  // namespace dac::finetune
