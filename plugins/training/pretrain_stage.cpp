// The pretrain stage: MLM pretraining of an encoder plugin on the shards of a prepare stage,
// under a budget, with checkpoints, a loss plot, and an export of the final encoder.
#include "pretrain_stage.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>

#include "dac/budget.hpp"
#include "dac/error.hpp"
#include "dac/kinds/encoder.hpp"
#include "dac/kinds/lr_schedule.hpp"
#include "dac/plugin_host.hpp"
#include "dac/records.hpp"
#include "dac/summary.hpp"
#include "dac/text/prepared_manifest.hpp"
#include "dac/text/vocab.hpp"
#include "dac/train/agreement_extras.hpp"
#include "dac/train/export.hpp"
#include "dac/train/pretrainer.hpp"
#include "loss_plot.hpp"
#include "pretrain_options.hpp"
#include "stage_one_budget.hpp"

namespace dac::plugins {

namespace fs = std::filesystem;

namespace {

// vocab.txt's contents (one token per line), for checkpoints and the export.
std::string vocab_text(const text::Vocab& vocab) {
  std::string text;
  for (const std::string& token : vocab.tokens()) text += token + '\n';
  return text;
}

// The model table with the prepared data's vocabulary size filled in (or checked when given).
ConfigNode model_for_data(const PretrainOptions& options, std::int64_t vocab_size,
                          const fs::path& vocab_path) {
  ConfigNode model = options.model;
  if (const ConfigNode* given = model.find("vocab_size")) {
    if (given->as_int() != vocab_size)
      config_fail(*given, options.model_path + ".vocab_size",
                  "is " + std::to_string(given->as_int()) + " but the prepared vocabulary " +
                      vocab_path.string() + " has " + std::to_string(vocab_size) +
                      " tokens (leave vocab_size out to take it from the data)");
  } else {
    model.set("vocab_size", ConfigNode::integer(vocab_size));
  }
  return model;
}

// "encoder/crammed_bert@1" style entries for the checkpoint's plugin list.
ConfigNode plugin_entry(PluginHost& host, std::string_view kind, const std::string& name) {
  ConfigNode entry = ConfigNode::table();
  entry.set("kind", ConfigNode::string(std::string(kind)));
  entry.set("name", ConfigNode::string(name));
  if (const PluginInfo* info = host.registry(kind).find(name)) {
    entry.set("version", ConfigNode::string(info->spec.version));
    entry.set("library", ConfigNode::string(info->library));
  }
  return entry;
}

// The counters in every unit, with the budget, seed and device that produced them.
ConfigNode budget_record(const Budget& budget, const TrainingCounters& counters, std::uint64_t seed,
                         const train::Compute& compute) {
  ConfigNode record = counters.to_table();
  record.set("hours", ConfigNode::real(counters.elapsed_s / 3600));
  record.set("budget_unit", ConfigNode::string(std::string(to_string(budget.unit))));
  record.set("budget", ConfigNode::real(budget.amount));
  record.set("max_steps", ConfigNode::integer(budget.max_steps));
  record.set("seed", ConfigNode::integer(static_cast<std::int64_t>(seed)));
  record.set("compute", compute.describe());
  return record;
}

// The agreement_submodels input stage (DACBERT's stage 1), if there is one.
const StageInput* stage_one_input(const StageContext& ctx) {
  for (const StageInput& input : ctx.inputs())
    if (input.kind == "agreement_submodels") return &input;
  return nullptr;
}

// Stage 1's spending added to the budget record, so that results tables show what both DACBERT
// stages used together: hours and flops become the sums; stage_one and stage_two keep the parts
// (steps and tokens stay stage 2's: stage 1 counts chunk positions, not rows).
void add_stage_one(ConfigNode& record, const StageInput& stage_one) {
  const TrainingCounters first = TrainingCounters::from_table(stage_one.result);
  ConfigNode one = ConfigNode::table();
  one.set("stage", ConfigNode::string(stage_one.name));
  one.set("hours", ConfigNode::real(first.elapsed_s / 3600));
  one.set("flops", ConfigNode::real(first.flops));
  one.set("steps", ConfigNode::integer(first.steps));
  ConfigNode two = ConfigNode::table();
  for (const char* key : {"hours", "flops", "steps", "tokens"}) two.set(key, *record.find(key));
  record.set("hours", ConfigNode::real(record.find("hours")->as_float() + first.elapsed_s / 3600));
  record.set("flops", ConfigNode::real(record.find("flops")->as_float() + first.flops));
  record.set("stage_one", one);
  record.set("stage_two", two);
}

// Stage 1's trained submodels into the encoder; without an agreement_submodels input they keep
// their initial weights (the `random` control) and the log says so.
void load_submodels_of_stage_one(StageContext& ctx, Encoder& encoder,
                                 const std::vector<std::string>& types) {
  const ConfigNode* control = encoder.describe().find("control");
  if (control && control->as_string() == "random") {
    ctx.log().info("control = random: the submodels keep their random initial weights");
    return;
  }
  for (const StageInput& input : ctx.inputs()) {
    if (input.kind != "agreement_submodels") continue;
    train::load_stage_one_submodels(input.dir / "submodels.ckpt", encoder, types);
    ctx.log().info("agreement submodels loaded from stage " + input.name);
    return;
  }
  ctx.log().info("no agreement_submodels input: the submodels keep their random initial weights");
}

class PretrainStage : public Stage {
 public:
  explicit PretrainStage(const Options& options) : options_(PretrainOptions::from(options)) {}

  ConfigNode run(StageContext& ctx) override {
    const StageInput& data_input = ctx.input_of_kind("prepare");
    const text::PreparedManifest data = text::read_prepared_manifest(data_input.dir);
    const text::Vocab vocab = text::Vocab::load(data.vocab);
    const std::string vocab_file = vocab_text(vocab);
    const ConfigNode model_table =
        model_for_data(options_, static_cast<std::int64_t>(vocab.size()), data.vocab);
    const std::uint64_t seed = options_.seed.value_or(ctx.seed());

    const train::Compute compute = train::resolve_compute(options_.compute);
    torch::manual_seed(seed);
    std::shared_ptr<Encoder> encoder =
        ctx.plugins().create<Encoder>(model_table, options_.model_path);
    if (encoder->max_positions() < data.seq_len) {
      const ConfigNode* given = model_table.find("max_positions");
      config_fail(given ? *given : model_table, options_.model_path + ".max_positions",
                  "is " + std::to_string(encoder->max_positions()) + " but the prepared rows of " +
                      data.dir.string() + " have " + std::to_string(data.seq_len) + " tokens");
    }
    const std::string path = "stages." + ctx.stage_name();
    std::shared_ptr<LrSchedule> schedule =
        options_.schedule ? ctx.plugins().create<LrSchedule>(*options_.schedule, path + ".schedule")
                          : ctx.plugins().create_named<LrSchedule>("triangle", ConfigNode::table(),
                                                                   path + ".schedule");

    train::PretrainSettings settings = options_.settings;
    settings.train_shards = data.train_tokens;
    settings.validation_shards = data.validation_tokens;
    settings.masking.mask_id = vocab.mask();
    settings.masking.vocab_size = static_cast<std::int32_t>(vocab.size());
    settings.masking.never_random = {vocab.pad(), vocab.unk(), vocab.cls(), vocab.sep(),
                                     vocab.mask()};
    settings.seed = seed;
    settings.lr_multiplier = [schedule](double t) { return schedule->multiplier(t); };
    settings.checkpoint_dir = ctx.dir() / "checkpoints";
    // DACBERT's stages share one budget when stage 1 took a share of it.
    const StageInput* stage_one = stage_one_input(ctx);
    if (stage_one) {
      const double configured = settings.budget.amount;
      settings.budget = stage_two_budget(settings.budget, path + ".budget", *stage_one);
      if (settings.budget.amount != configured)
        ctx.log().info(fmt::format("stage {} spent {:g} of the {:g} {}; this stage gets the rest",
                                   stage_one->name, configured - settings.budget.amount, configured,
                                   to_string(settings.budget.unit)));
    }
    // An encoder that reads agreement chunks (dacbert) gets them from the prepared sidecars, and
    // its submodels from an agreement_submodels input (stage 1) when there is one.
    if (const std::vector<std::string> types = train::agreement_types_read_by(*encoder);
        !types.empty()) {
      settings.extras_for_shards = [types](const std::vector<std::filesystem::path>& shards) {
        return train::agreement_batch_extras(shards, types);
      };
      load_submodels_of_stage_one(ctx, *encoder, types);
      // Fine-tuning annotates its sentences with the annotator the prepared data used.
      if (const fs::path annotator = data_input.dir / "annotator.toml"; fs::exists(annotator))
        fs::copy_file(annotator, ctx.dir() / "annotator.toml",
                      fs::copy_options::overwrite_existing);
    }

    train::CheckpointMeta meta;
    meta.config_toml = to_toml(ctx.config());
    meta.encoder_toml = to_toml(encoder->describe());
    ConfigNode plugins = ConfigNode::array();
    const std::string model_name = model_table.find("name")->as_string();
    plugins.push_back(plugin_entry(ctx.plugins(), Encoder::kind, model_name));
    plugins.push_back(plugin_entry(
        ctx.plugins(), LrSchedule::kind,
        options_.schedule ? options_.schedule->find("name")->as_string() : "triangle"));
    ConfigNode plugin_table = ConfigNode::table();
    plugin_table.set("plugins", plugins);
    meta.plugins_toml = to_toml(plugin_table);
    meta.vocab_text = vocab_file;
    meta.normalizer = data.normalizer;

    const std::int64_t parameters = encoder->parameter_count();
    ctx.log().info(
        model_name + ": " + std::to_string(parameters) + " parameters, " +
        format_number(encoder->train_flops_per_token(data.seq_len, settings.masking.rate) / 1e9) +
        " GFLOP per token; " + compute.device_name + (compute.bf16 ? ", bf16" : "") + "; budget " +
        describe(settings.budget));

    train::Pretrainer trainer(encoder, compute, settings, meta, ctx.log());
    if (ctx.resuming()) trainer.resume();
    const train::PretrainOutcome outcome = trainer.run();
    write_loss_plot(ctx.dir() / "loss.svg", outcome, ctx.stage_name() + ": " + model_name);

    ConfigNode training = budget_record(settings.budget, outcome.counters, seed, compute);
    if (stage_one) add_stage_one(training, *stage_one);
    write_file_atomically(ctx.dir() / "training.toml", to_toml(training));
    if (options_.export_encoder)
      train::export_encoder(ctx.dir() / "export", *encoder, vocab_file, data.normalizer, training);

    ConfigNode result = ConfigNode::table();
    result.set("model", ConfigNode::string(model_name));
    result.set("parameters", ConfigNode::integer(parameters));
    result.set("steps", ConfigNode::integer(outcome.counters.steps));
    result.set("tokens", ConfigNode::integer(outcome.counters.tokens));
    result.set("flops", ConfigNode::real(outcome.counters.flops));
    result.set("hours", ConfigNode::real(outcome.counters.elapsed_s / 3600));
    result.set("tokens_per_s", ConfigNode::real(outcome.counters.elapsed_s > 0
                                                    ? static_cast<double>(outcome.counters.tokens) /
                                                          outcome.counters.elapsed_s
                                                    : 0));
    if (stage_one) {
      result.set("total_hours", *training.find("hours"));
      result.set("total_flops", *training.find("flops"));
    }
    result.set("train_loss", ConfigNode::real(outcome.last_train_loss));
    if (!outcome.validation_curve.empty())
      result.set("validation_loss", ConfigNode::real(outcome.final_validation_loss));
    result.set("skipped_steps", ConfigNode::integer(outcome.skipped_steps));
    // The final values the encoder monitors (DACBERT's gates and projection norms per type).
    for (const auto& [name, value] : encoder->monitored_values()) {
      std::string key = name;
      std::replace(key.begin(), key.end(), '/', '_');
      result.set(key, ConfigNode::real(value));
    }
    result.set("device", ConfigNode::string(compute.device_name));
    result.set("seed", ConfigNode::integer(static_cast<std::int64_t>(seed)));
    result.set("checkpoint", ConfigNode::string(outcome.checkpoint.string()));
    if (options_.export_encoder)
      result.set("export", ConfigNode::string((ctx.dir() / "export").string()));
    return result;
  }

 private:
  PretrainOptions options_;
};

}  // namespace

PluginSpec pretrain_spec() {
  return PluginSpec{.name = "pretrain",
                    .version = "1",
                    .summary =
                        "budgeted MLM pretraining of an encoder on prepared shards, with "
                        "checkpoints, validation loss, a loss plot and an export",
                    .schema = PretrainOptions::schema()};
}

std::unique_ptr<Stage> make_pretrain(const Options& options) {
  return std::make_unique<PretrainStage>(options);
}

}  // namespace dac::plugins
