// `dacrun glue`: GLUE fine-tuning and evaluation of a pretrained model given by path, outside an
// experiment: every task × seed, each run's results.json, the results table and plots.
#include <fmt/format.h>

#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "dac/error.hpp"
#include "dac/file_text.hpp"
#include "dac/finetune/glue_evaluation.hpp"
#include "dac/glue/glue_report.hpp"
#include "dac/plugin_host.hpp"
#include "dac/train/compute.hpp"

namespace dac::cli {

namespace {

constexpr const char* kGlueUsage =
    "usage: dacrun glue --model RUN_OR_CHECKPOINT --tasks rte,mrpc [--glue-root DIR] [--out DIR]\n"
    "                   [--seeds N] [--seed S] [--vocab FILE] [--max-examples N]\n"
    "                   [--set key=value]...\n"
    "Fine-tunes the model (a checkpoint file, a pretrain stage folder or a run folder) on each\n"
    "task with N seeds (GLUE-sane defaults: 5 epochs, batch 16, lr 4e-5, cosine with 10% warm-up,\n"
    "last-epoch score), keeps every run's results under OUT/runs/<task>/seed-<k>/ (finished runs\n"
    "are not redone), and writes OUT/glue_table.md, glue_table.csv and plots. Tasks read\n"
    "<glue-root>/<Task>/{train,dev}.tsv (the layout of the GLUE download script).";

std::string settings_help() {
  ConfigSchema schema;
  finetune::add_finetune_settings(schema);
  train::add_compute_options(schema);
  std::string help = "settings (--set key=value):\n";
  for (const auto& key : schema.keys()) help += "  " + key.name + ": " + key.help + "\n";
  return help;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::istringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) items.push_back(item);
  return items;
}

}  // namespace

int glue_command(const Args& args) {
  po::options_description options("options");
  options.add_options()("model", po::value<std::string>()->required(),
                        "checkpoint file, pretrain stage folder or run folder")(
      "stage", po::value<std::string>()->default_value(""),
      "the stage of a run folder to fine-tune (default: its pretrain stage)")(
      "tasks", po::value<std::string>()->required(), "comma-separated task names, e.g. rte,mrpc")(
      "glue-root", po::value<std::string>()->default_value(""),
      "folder holding the GLUE tasks (<root>/RTE/train.tsv, ...)")(
      "out", po::value<std::string>()->default_value(""),
      "output folder (default: glue-<model name>)")(
      "seeds", po::value<unsigned>()->default_value(5), "fine-tuning runs per task")(
      "max-examples", po::value<std::int64_t>()->default_value(0),
      "read only the first N rows of each split, for quick checks (0: all)")(
      "seed", po::value<unsigned>()->default_value(0), "the first fine-tuning seed")(
      "vocab", po::value<std::string>()->default_value(""),
      "a vocab.txt the model's vocabulary must equal")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "a fine-tuning or compute setting (repeatable)");
  add_plugin_option(options);
  po::variables_map values;
  if (!parse_arguments(args, options, {}, values, std::string(kGlueUsage) + "\n" + settings_help()))
    return kExitOk;

  PluginHost host;
  load_plugins(host, values);
  ConfigSchema schema;
  finetune::add_finetune_settings(schema);
  train::add_compute_options(schema);
  const Options settings = schema.validate(set_assignments(values), "--set");

  const finetune::PretrainedModel model = finetune::locate_pretrained_model(
      values["model"].as<std::string>(), values["stage"].as<std::string>());
  finetune::GlueEvaluationOptions evaluation;
  evaluation.tasks = finetune::glue_task_choices(split_list(values["tasks"].as<std::string>()),
                                                 values["glue-root"].as<std::string>());
  if (const std::int64_t rows = values["max-examples"].as<std::int64_t>(); rows > 0)
    for (finetune::GlueTaskChoice& task : evaluation.tasks)
      task.plugin.set("max_examples", ConfigNode::integer(rows));
  evaluation.seeds.clear();
  for (unsigned k = 0; k < values["seeds"].as<unsigned>(); ++k)
    evaluation.seeds.push_back(values["seed"].as<unsigned>() + k);
  evaluation.settings = finetune::finetune_settings_from(settings, host);
  evaluation.vocab = values["vocab"].as<std::string>();
  const train::Compute compute = train::resolve_compute(train::compute_request_from(settings));
  std::string out = values["out"].as<std::string>();
  if (out.empty()) out = "glue-" + model.label;

  std::cerr << fmt::format("glue: {} on {}; results in {}\n", model.label, compute.device_name,
                           out);
  finetune::FinetuneHooks hooks;
  hooks.log = [](const std::string& line) { std::cerr << "glue: " << line << "\n"; };
  const std::vector<glue::GlueRunResult> runs = finetune::run_glue_evaluation(
      model, host, evaluation, std::filesystem::path(out) / "runs", compute, hooks);
  const std::vector<std::filesystem::path> written =
      glue::write_glue_report(out, glue::group_runs_by_model(runs));
  std::cout << read_whole_file(written.front());
  return kExitOk;
}

}  // namespace dac::cli
