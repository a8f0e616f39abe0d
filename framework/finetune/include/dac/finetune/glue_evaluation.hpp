// GLUE evaluation of one pretrained model: every configured task × every fine-tuning seed, each
// run's results.json kept under <out>/<task>/seed-<k>/ (a finished run is not redone, so an
// interrupted evaluation resumes), then the results table and plots written into <out>.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "dac/config.hpp"
#include "dac/finetune/glue_finetune.hpp"
#include "dac/finetune/pretrained_model.hpp"
#include "dac/glue/glue_results.hpp"
#include "dac/options.hpp"

namespace dac::finetune {

struct GlueTaskChoice {
  std::string label;  // the name in results and tables ("rte", "pairs", ...)
  ConfigNode plugin;  // the glue_task plugin table: name and options (root, folder, ...)
  std::string path;   // config path for error messages
};

// The `tasks` table of a config: label -> plugin table; a table without `name` names the plugin
// by its label, one without `root` gets `default_root`.
std::vector<GlueTaskChoice> glue_task_choices(const ConfigNode& tasks, const std::string& path,
                                              const std::string& default_root);
// "rte,mrpc" style lists (from the command line): every task from `root`.
std::vector<GlueTaskChoice> glue_task_choices(const std::vector<std::string>& names,
                                              const std::string& root);

struct GlueEvaluationOptions {
  std::vector<GlueTaskChoice> tasks;
  std::vector<std::uint64_t> seeds = {0, 1, 2, 3, 4};
  FinetuneSettings settings;  // its seed is replaced by each run's
  std::string vocab;          // a vocab.txt the model's vocabulary must equal ("" = no check)
  std::string baseline;       // model label tables compare against ("" = none)
};

// Adds the fine-tuning settings' keys (epochs, batch_size, learning_rate, ..., and an optional
// lr_schedule plugin table `schedule`, cosine with 10 % warm-up when absent) with the recipe's
// defaults, for the glue stage and `dacrun glue --set`.
ConfigSchema& add_finetune_settings(ConfigSchema& schema);
FinetuneSettings finetune_settings_from(const Options& options, PluginHost& plugins);

// Runs what is missing and returns every run's result (finished ones read back). An encoder that
// reads agreement chunks gets them for every batch (glue_agreements.hpp; each split's chunks
// cached as <out>/<task>/agreements-<split>.tsv), before the caller's `hooks.extras`; a model
// whose pretraining data recorded no annotator is then a UserError.
std::vector<glue::GlueRunResult> run_glue_evaluation(const PretrainedModel& model,
                                                     PluginHost& plugins,
                                                     const GlueEvaluationOptions& options,
                                                     const std::filesystem::path& out,
                                                     const train::Compute& compute,
                                                     const FinetuneHooks& hooks = {});

}  // namespace dac::finetune
