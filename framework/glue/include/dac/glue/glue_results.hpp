// One fine-tuning run's result (task, seeds, metrics, every dev prediction with its gold label,
// the per-epoch curve, the budget of the pretrained model it started from), kept as results.json
// in the run's folder. Tables and intervals are computed from these files alone. No torch.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "dac/config.hpp"

namespace dac::glue {

struct EpochPoint {
  int epoch = 0;
  double train_loss = 0;
  double dev_score = 0;  // the headline metric in percent after this epoch
};

struct GlueRunResult {
  std::string model;     // the evaluated model's label (variant name or checkpoint)
  std::string task;      // the task's label: "rte", "mnli", or a configured name ("pairs")
  std::string split;     // the scored split: "validation", "validation_matched", ...
  std::string headline;  // the headline metric's name (a key of metrics)
  std::int64_t finetune_seed = 0;
  std::int64_t pretrain_seed = -1;        // -1 when unknown
  std::map<std::string, double> metrics;  // in percent (correlations × 100)
  std::vector<double> predictions;        // per dev example: class index or regression score
  std::vector<double> gold;               // per dev example, the same order
  std::vector<EpochPoint> curve;
  // The headline metric after the last epoch with one agreement type's chunks left out of the
  // dev batches (its agreement embedding zero), per type; empty unless asked for
  // (zero_agreement_types). Kept as `zeroed` in results.json.
  std::map<std::string, double> zeroed;
  // The pretrained model's budget and provenance: hours, steps, tokens, flops, device, ...
  ConfigNode pretraining = ConfigNode::table();
  // The fine-tuning settings and wall-clock seconds, examples/s, device.
  ConfigNode finetuning = ConfigNode::table();
};

ConfigNode to_config(const GlueRunResult& result);
// A UserError naming `source` and the key for a missing or mistyped field.
GlueRunResult glue_run_result_from(const ConfigNode& table, const std::string& source);

// results.json: to_json(to_config(result)), written atomically.
void write_glue_run_result(const std::filesystem::path& path, const GlueRunResult& result);
GlueRunResult read_glue_run_result(const std::filesystem::path& path);

// The headline metric of a task's predictions by metric name ("accuracy", "f1", "matthews",
// "pearson", "spearman"), in percent; a UserError for another name.
double metric_percent(const std::string& metric, const std::vector<double>& predictions,
                      const std::vector<double>& gold);

}  // namespace dac::glue
