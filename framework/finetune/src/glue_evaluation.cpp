// Every task × seed of one model's GLUE evaluation, resumable run by run.
#include "dac/finetune/glue_evaluation.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include <iterator>
#include <map>
#include <optional>
#include <sstream>

#include "dac/error.hpp"
#include "dac/finetune/glue_agreements.hpp"
#include "dac/kinds/glue_task.hpp"
#include "dac/plugin_host.hpp"
#include "dac/text/vocab.hpp"

namespace dac::finetune {

namespace fs = std::filesystem;

namespace {

// Refuses a model whose vocabulary is not the one the tasks are tokenised with.
void check_vocab(const text::Vocab& vocab, const PretrainedModel& model, const std::string& path) {
  if (path.empty()) return;
  const text::Vocab expected = text::Vocab::load(path);
  const auto& a = vocab.tokens();
  const auto& b = expected.tokens();
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    if (a[i] != b[i])
      throw UserError(fmt::format(
          "{}: the model's vocabulary differs from the tokenizer's {} at id {}: '{}' against "
          "'{}'; fine-tune with the vocabulary the model was pretrained with",
          model.checkpoint.string(), path, i, a[i], b[i]));
  if (a.size() != b.size())
    throw UserError(fmt::format(
        "{}: the model's vocabulary has {} tokens but the tokenizer's {} has {}; fine-tune with "
        "the vocabulary the model was pretrained with",
        model.checkpoint.string(), a.size(), path, b.size()));
}

// The splits scored after each epoch: every split but train and the unlabelled test splits.
std::vector<std::string> dev_splits(const GlueTask& task) {
  std::vector<std::string> splits;
  for (const std::string& split : task.splits())
    if (split != "train" && split.rfind("test", 0) != 0) splits.push_back(split);
  return splits;
}

fs::path run_folder(const fs::path& out, const std::string& task, std::uint64_t seed) {
  return out / task / ("seed-" + std::to_string(seed));
}

// `first`, then `second` when there is one.
BatchExtras combined_extras(BatchExtras first, BatchExtras second) {
  if (!second) return first;
  return [first = std::move(first), second = std::move(second)](
             const std::string& split, const std::vector<std::size_t>& indices, Batch& batch) {
    first(split, indices, batch);
    second(split, indices, batch);
  };
}

}  // namespace

std::vector<GlueTaskChoice> glue_task_choices(const ConfigNode& tasks, const std::string& path,
                                              const std::string& default_root) {
  if (!tasks.is_table())
    config_fail(tasks, path, "must be a table of task label = { name = \"rte\", ... }");
  std::vector<GlueTaskChoice> choices;
  for (const auto& [label, table] : tasks.entries()) {
    if (!table.is_table())
      config_fail(table, path + "." + label,
                  "must be a table naming the glue_task plugin, e.g. { name = \"rte\" }");
    GlueTaskChoice choice;
    choice.label = label;
    choice.plugin = table;
    choice.path = path + "." + label;
    if (!choice.plugin.contains("name")) choice.plugin.set("name", ConfigNode::string(label));
    if (!choice.plugin.contains("root") && !default_root.empty())
      choice.plugin.set("root", ConfigNode::string(default_root));
    choices.push_back(std::move(choice));
  }
  if (choices.empty()) config_fail(tasks, path, "names no task");
  return choices;
}

std::vector<GlueTaskChoice> glue_task_choices(const std::vector<std::string>& names,
                                              const std::string& root) {
  ConfigNode tasks = ConfigNode::table();
  for (const std::string& name : names) tasks.set(name, ConfigNode::table());
  return glue_task_choices(tasks, "--tasks", root);
}

std::vector<glue::GlueRunResult> run_glue_evaluation(
    const PretrainedModel& model, PluginHost& plugins, const GlueEvaluationOptions& options,
    const fs::path& out, const train::Compute& compute, const FinetuneHooks& hooks) {
  const text::Vocab vocab = pretrained_vocab(model);
  check_vocab(vocab, model, options.vocab);
  const GlueTokenizer tokenizer(vocab, model.normalizer, options.settings.max_length);
  auto log = [&](const std::string& line) {
    if (hooks.log) hooks.log(line);
  };
  // An encoder that reads agreement chunks (DACBERT) gets them for the task sentences too.
  const std::vector<std::string> types = agreement_types_of(model, plugins);
  std::optional<GlueAgreements> agreements;
  if (!types.empty()) agreements.emplace(model, plugins, tokenizer, types);
  // A run kept from an evaluation without the zeroed scores asked for now is done again.
  const bool wants_zeroed = options.settings.zero_agreement_types && !types.empty();

  std::vector<glue::GlueRunResult> all;
  for (const GlueTaskChoice& choice : options.tasks) {
    std::shared_ptr<GlueTask> task = plugins.create<GlueTask>(choice.plugin, choice.path);
    std::vector<std::uint64_t> missing;
    for (std::uint64_t seed : options.seeds) {
      std::vector<glue::GlueRunResult> finished;
      for (const std::string& split : dev_splits(*task)) {
        const fs::path file = run_folder(out, choice.label, seed) / (split + ".results.json");
        if (!fs::exists(file)) break;
        glue::GlueRunResult result = glue::read_glue_run_result(file);
        if (wants_zeroed && result.zeroed.empty()) break;
        finished.push_back(std::move(result));
      }
      if (finished.size() == dev_splits(*task).size())
        std::move(finished.begin(), finished.end(), std::back_inserter(all));
      else
        missing.push_back(seed);
    }
    if (missing.empty()) {
      log(choice.label + ": every seed already evaluated");
      continue;
    }
    FinetuneTask data;
    data.task = task.get();
    data.label = choice.label;
    data.pad_id = vocab.pad();
    const std::vector<GlueExample> train_examples = task->load("train");
    data.train = tokenizer.encode(train_examples);
    for (const std::string& split : dev_splits(*task)) {
      DevSet dev;
      dev.split = split;
      dev.examples = task->load(split);
      dev.encoded = tokenizer.encode(dev.examples);
      data.dev.push_back(std::move(dev));
    }
    log(fmt::format("{}: {} training examples, {} seeds to run", choice.label, data.train.size(),
                    missing.size()));
    FinetuneHooks task_hooks = hooks;
    if (agreements) {
      auto chunks_of = [&](const std::string& split, const std::vector<GlueExample>& examples,
                           const std::vector<EncodedExample>& encoded) {
        return agreements->split_chunks(choice.label + " " + split, examples, encoded,
                                        out / choice.label / ("agreements-" + split + ".tsv"), log);
      };
      std::map<std::string, SplitAgreements> splits;
      splits.emplace("train", chunks_of("train", train_examples, data.train));
      for (const DevSet& dev : data.dev)
        splits.emplace(dev.split, chunks_of(dev.split, dev.examples, dev.encoded));
      task_hooks.extras =
          combined_extras(agreement_batch_extras(std::move(splits), types), hooks.extras);
    }
    for (std::uint64_t seed : missing) {
      FinetuneSettings settings = options.settings;
      settings.seed = seed;
      std::vector<glue::GlueRunResult> results =
          finetune_run(model, plugins, data, settings, compute, task_hooks);
      const ConfigNode& speed = results.front().finetuning;
      const auto number = [&](const char* key) { return speed.find(key)->as_float(); };
      log(fmt::format(
          "{} seed {}: {:.1f} training examples/s, {:.1f} evaluation examples/s, {:.0f} s",
          choice.label, seed, number("train_examples_per_s"), number("eval_examples_per_s"),
          number("seconds")));
      for (glue::GlueRunResult& result : results) {
        const fs::path folder = run_folder(out, choice.label, seed);
        fs::create_directories(folder);
        glue::write_glue_run_result(folder / (result.split + ".results.json"), result);
        all.push_back(std::move(result));
      }
    }
  }
  return all;
}

}  // namespace dac::finetune
