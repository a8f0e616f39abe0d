// One fine-tuning run on one task: a fresh head on the pretrained encoder, AdamW with a warm-up
// and decay schedule over the run's steps, dropout on, the dev score after every epoch (the
// curve) and the last epoch's score and predictions as the result. Defaults are the recipe's
// "GLUE-sane" protocol.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "dac/finetune/glue_inputs.hpp"
#include "dac/finetune/pretrained_model.hpp"
#include "dac/glue/glue_results.hpp"
#include "dac/train/compute.hpp"
#include "dac/train/optimizer_settings.hpp"

namespace dac {
class GlueTask;
class PluginHost;
}  // namespace dac

namespace dac::finetune {

struct FinetuneSettings {
  int epochs = 5;
  std::size_t batch_size = 16;
  std::size_t eval_batch_size = 128;
  double learning_rate = 4e-5;
  train::OptimizerSettings optimizer{
      .adam = {.beta1 = 0.9, .beta2 = 0.98, .eps = 1e-6}, .weight_decay = 0, .clip_norm = 0};
  std::int64_t head_width = 1024;
  double head_dropout = 0.1;
  bool encoder_dropout = true;  // the encoder's own dropout during fine-tuning
  std::size_t max_length = 128;
  // After the last epoch, score every dev split once more per agreement type the encoder reads,
  // with that type's chunks left out of the batches (GlueRunResult::zeroed).
  bool zero_agreement_types = false;
  // The learning-rate multiplier over progress t = step / total steps.
  std::function<double(double)> lr_multiplier;
  std::uint64_t seed = 0;
};

// One dev split: its examples as the task gave them (for the task's scorer) and encoded.
struct DevSet {
  std::string split;  // "validation", "validation_matched", ...
  std::vector<GlueExample> examples;
  std::vector<EncodedExample> encoded;
};

// A task's examples ready to fine-tune on.
struct FinetuneTask {
  const GlueTask* task = nullptr;  // labels and scoring
  std::string label;               // the task's name in results ("rte", "pairs", ...)
  std::vector<EncodedExample> train;
  std::vector<DevSet> dev;  // each scored after every epoch (MNLI has two)
  std::int32_t pad_id = 0;  // the vocabulary's [PAD]
};

// Optional per-token extra inputs (e.g. agreement chunks) added to each batch: called with the
// split the batch comes from ("train" or a dev split) and its example indices there.
using BatchExtras = std::function<void(const std::string& split,
                                       const std::vector<std::size_t>& indices, Batch& batch)>;

struct FinetuneHooks {
  BatchExtras extras;
  std::function<void(const std::string&)> log;
  // Called after every optimizer step with (steps done, total steps).
  std::function<void(std::int64_t, std::int64_t)> progress;
};

// Runs one seed: one result per dev split, with the model label and pretraining table of `model`.
std::vector<glue::GlueRunResult> finetune_run(const PretrainedModel& model, PluginHost& plugins,
                                              const FinetuneTask& task,
                                              const FinetuneSettings& settings,
                                              const train::Compute& compute,
                                              const FinetuneHooks& hooks = {});

}  // namespace dac::finetune
