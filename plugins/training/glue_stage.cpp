// The glue stage: fine-tunes the encoder of a pretrain input stage (or a given model) on each
// configured task with N seeds, keeps every run's results, and writes the results table and
// plots. Tasks default to the folder of a synthetic_tasks input when no GLUE root is given.
#include "glue_stage.hpp"

#include <fmt/format.h>

#include <memory>

#include "dac/finetune/glue_evaluation.hpp"
#include "dac/glue/glue_report.hpp"
#include "dac/records.hpp"
#include "dac/train/compute.hpp"
#include "stage_model.hpp"

namespace dac::plugins {

namespace {

// Where tasks without their own root read from: glue_root, else a synthetic_tasks input.
std::string default_task_root(const Options& options, const StageContext& ctx) {
  // Relative to the file that sets it, like every path of a config.
  if (!options.string("glue_root").empty())
    return resolve_config_path(options.node("glue_root")).string();
  for (const StageInput& input : ctx.inputs())
    if (input.kind == "synthetic_tasks") return input.dir.string();
  return "";
}

class GlueStage : public Stage {
 public:
  explicit GlueStage(const Options& options) : options_(options) {}

  ConfigNode run(StageContext& ctx) override {
    finetune::PretrainedModel model = stage_pretrained_model(options_, ctx);
    if (!options_.string("label").empty()) model.label = options_.string("label");
    finetune::GlueEvaluationOptions evaluation;
    evaluation.tasks = finetune::glue_task_choices(
        options_.node("tasks"), options_.key_path("tasks"), default_task_root(options_, ctx));
    const std::uint64_t first_seed =
        options_.has("seed") ? static_cast<std::uint64_t>(options_.integer("seed")) : ctx.seed();
    evaluation.seeds.clear();
    for (std::int64_t k = 0; k < options_.integer("seeds"); ++k)
      evaluation.seeds.push_back(first_seed + static_cast<std::uint64_t>(k));
    evaluation.settings = finetune::finetune_settings_from(options_, ctx.plugins());
    if (!options_.string("vocab").empty())
      evaluation.vocab = resolve_config_path(options_.node("vocab")).string();
    const train::Compute compute = train::resolve_compute(train::compute_request_from(options_));
    ctx.log().info(fmt::format("fine-tuning {} on {} task(s) x {} seed(s), {}", model.label,
                               evaluation.tasks.size(), evaluation.seeds.size(),
                               compute.device_name));

    std::unique_ptr<Progress> progress;
    finetune::FinetuneHooks hooks;
    hooks.log = [&](const std::string& line) { ctx.log().info(line); };
    hooks.progress = [&](std::int64_t step, std::int64_t total) {
      if (step == 1)
        progress = std::make_unique<Progress>(ctx.log(), "fine-tuning",
                                              static_cast<std::uint64_t>(total), "steps");
      progress->set(static_cast<std::uint64_t>(step));
    };
    const std::vector<glue::GlueRunResult> runs = finetune::run_glue_evaluation(
        model, ctx.plugins(), evaluation, ctx.dir() / "runs", compute, hooks);
    progress.reset();

    const std::vector<glue::ModelRuns> models = glue::group_runs_by_model(runs);
    glue::write_glue_report(ctx.dir(), models);
    return summary(glue::build_glue_table(models));
  }

 private:
  // The stage result: the median headline score per column and the GLUE average.
  static ConfigNode summary(const glue::GlueTable& table) {
    ConfigNode result = ConfigNode::table();
    if (table.rows.empty()) return result;
    const glue::TableRow& row = table.rows.front();
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      const glue::TableCell& cell = row.cells[c];
      if (!cell.has_value()) continue;
      result.set(table.columns[c].header, ConfigNode::real(cell.value()));
    }
    return result;
  }

  Options options_;
};

ConfigSchema glue_schema() {
  ConfigSchema schema;
  schema
      .any_table("tasks",
                 "tasks by label, each naming its glue_task plugin and options, e.g. { rte = {}, "
                 "pairs = { name = \"rte\", folder = \"pairs\" } }")
      .string("glue_root", "",
              "folder with the GLUE tasks (<root>/RTE/train.tsv, ...); default: the folder of "
              "a synthetic_tasks input")
      .string("model", "",
              "a checkpoint, pretrain stage folder or run folder to fine-tune instead of the "
              "pretrain input")
      .string("label", "", "the model's name in tables (default: the pretrain input's name)")
      .integer("seeds", 5, "fine-tuning runs per task; the table reports their median")
      .min(1)
      .optional("seed", KeyType::Int, "the first fine-tuning seed (default: the experiment's)")
      .string("vocab", "",
              "a vocab.txt the model's vocabulary must equal (refuses a mismatched checkpoint)");
  finetune::add_finetune_settings(schema);
  train::add_compute_options(schema);
  return schema;
}

}  // namespace

PluginSpec glue_spec() {
  return PluginSpec{.name = "glue",
                    .version = "1",
                    .summary =
                        "GLUE fine-tuning of a pretrained encoder: tasks x seeds, median "
                        "and bootstrap intervals, results table and plots",
                    .schema = glue_schema()};
}

std::unique_ptr<Stage> make_glue(const Options& options) {
  return std::make_unique<GlueStage>(options);
}

}  // namespace dac::plugins
