// The agreement_submodels stage: DACBERT's stage 1. It gathers every agreement type's chunks
// from a prepare stage's shards and sidecars and trains one submodel per type, all in one loop
// (each step one batch of chunks per type), with MLM inside the chunk, under its own budget or
// under a share of the budget both DACBERT stages split. The submodels are written to
// submodels.ckpt under the names a dacbert encoder gives them (submodel_<type>.*).
#include "agreement_submodels_stage.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include "dac/error.hpp"
#include "dac/file_text.hpp"
#include "dac/kinds/submodel.hpp"
#include "dac/plugin_host.hpp"
#include "dac/records.hpp"
#include "dac/text/prepared_manifest.hpp"
#include "dac/text/vocab.hpp"
#include "dac/train/checkpoint.hpp"
#include "dac/train/chunk_mlm.hpp"
#include "dac/train/compute.hpp"
#include "dac/train/optimizer_settings.hpp"
#include "dac/train/submodel_trainer.hpp"
#include "stage_one_budget.hpp"

namespace dac::plugins {

namespace {

const std::vector<std::string> kDefaultTypes = {"subject_verb", "verb_object", "adjective_noun",
                                                "determiner_noun"};

class AgreementSubmodelsStage : public Stage {
 public:
  explicit AgreementSubmodelsStage(const Options& options) : options_(options) {}

  ConfigNode run(StageContext& ctx) override {
    const text::PreparedManifest data =
        text::read_prepared_manifest(ctx.input_of_kind("prepare").dir);
    const text::Vocab vocab = text::Vocab::load(data.vocab);
    const std::vector<std::string> types = options_.strings("agreement_types");
    if (types.empty()) options_.fail("agreement_types", "names no agreement type");
    auto chunks = train::read_chunk_examples(data.train_tokens, types,
                                             options_.integer("max_chunk_wordpieces"),
                                             options_.integer("max_chunks_per_type"));
    for (std::size_t t = 0; t < types.size(); ++t) {
      if (chunks[t].empty())
        throw UserError("the prepared data in " + data.dir.string() + " has no chunks of type '" +
                        types[t] + "'");
      ctx.log().info(fmt::format("{}: {} chunks", types[t], chunks[t].size()));
    }

    const std::uint64_t seed =
        options_.has("seed") ? static_cast<std::uint64_t>(options_.integer("seed")) : ctx.seed();
    torch::manual_seed(seed);
    ConfigNode submodel_table =
        options_.has("submodel") ? options_.node("submodel") : ConfigNode::table();
    if (!submodel_table.contains("name"))
      submodel_table.set("name", ConfigNode::string("chunk_transformer"));
    if (!submodel_table.contains("vocab_size"))
      submodel_table.set("vocab_size",
                         ConfigNode::integer(static_cast<std::int64_t>(vocab.size())));
    auto set = std::make_shared<train::SubmodelSet>();
    for (const std::string& type : types)
      set->add(type, ctx.plugins().create<Submodel>(
                         submodel_table, options_.key_path("submodel") + " (" + type + ")"));

    const StageOneBudget budget = StageOneBudget::from(options_);
    ctx.log().info(budget.describe());
    train::SubmodelTrainingSettings settings;
    settings.budget = budget.stage;
    settings.batch_chunks = static_cast<std::size_t>(options_.integer("batch_chunks"));
    settings.learning_rate = options_.real("learning_rate");
    settings.optimizer = train::optimizer_settings_from(options_);
    settings.masking = {.mask_id = vocab.mask(),
                        .padding_id = vocab.pad(),
                        .rate = options_.real("mask_rate"),
                        .anchor_share = options_.real("anchor_share")};
    settings.seed = seed;
    settings.log_every = options_.integer("log_every");
    settings.checkpoint_every_minutes = options_.real("checkpoint_every_minutes");
    settings.checkpoint_dir = ctx.dir() / "checkpoints";

    train::CheckpointMeta meta;
    meta.config_toml = to_toml(ctx.config());
    meta.vocab_text = read_whole_file(data.vocab, "vocabulary");
    meta.normalizer = data.normalizer;
    meta.encoder_toml = to_toml(submodel_table);
    const train::Compute compute = train::resolve_compute(train::compute_request_from(options_));
    train::SubmodelTrainer trainer(set, std::move(chunks), compute, settings, meta, ctx.log());
    if (ctx.resuming()) trainer.resume();
    const train::SubmodelTrainingOutcome outcome = trainer.run();

    set->to(torch::kCPU);
    train::save_checkpoint(ctx.dir() / "submodels.ckpt", *set, nullptr, meta);
    ConfigNode result = budget.record(outcome.counters);
    result.set("device", ConfigNode::string(compute.device_name));
    result.set("seed", ConfigNode::integer(static_cast<std::int64_t>(seed)));
    for (std::size_t t = 0; t < types.size(); ++t)
      result.set("loss_" + types[t], ConfigNode::real(outcome.losses[t]));
    return result;
  }

 private:
  Options options_;
};

ConfigSchema agreement_submodels_schema() {
  ConfigSchema schema;
  schema.strings("agreement_types", kDefaultTypes, "agreement types, one submodel each")
      .optional_plugin("submodel", "submodel",
                       "the submodel of every type (default: chunk_transformer with the "
                       "prepared vocabulary)")
      .integer("batch_chunks", 64, "chunks per type per step")
      .min(1)
      .real("learning_rate", 1e-3, "peak AdamW learning rate (cosine, 10% warm-up)")
      .min(0);
  train::add_optimizer_keys(schema, train::OptimizerSettings{});
  schema.real("mask_rate", 0.15, "share of a chunk's wordpieces masked (at least one)")
      .min(0)
      .max(1)
      .real("anchor_share", 0.75,
            "chance that the first masked wordpiece is the controller or the target")
      .min(0)
      .max(1)
      .integer("max_chunk_wordpieces", 32, "longer chunks keep their first wordpieces")
      .min(2)
      .integer("max_chunks_per_type", 1000000, "chunks read per type (the first in row order)")
      .min(1)
      .integer("log_every", 50, "steps between loss lines")
      .min(1)
      .real("checkpoint_every_minutes", 10,
            "minutes between checkpoints (for --resume); 0 = only at the end")
      .min(0)
      .optional("seed", KeyType::Int,
                "seed of the weights, batches and masks (default: the experiment's)");
  StageOneBudget::add_keys(schema);
  train::add_compute_options(schema);
  return schema;
}

}  // namespace

PluginSpec agreement_submodels_spec() {
  return PluginSpec{.name = "agreement_submodels",
                    .version = "2",
                    .summary =
                        "DACBERT stage 1: one submodel per agreement type trained with MLM "
                        "inside the chunks of the prepared corpus",
                    .schema = agreement_submodels_schema()};
}

std::unique_ptr<Stage> make_agreement_submodels(const Options& options) {
  return std::make_unique<AgreementSubmodelsStage>(options);
}

}  // namespace dac::plugins
