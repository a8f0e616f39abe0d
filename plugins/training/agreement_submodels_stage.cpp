// The agreement_submodels stage: DACBERT's stage 1. It gathers every agreement type's chunks
// from a prepare stage's shards and sidecars and trains one submodel per type, all in one loop
// (each step one batch of chunks per type), with MLM inside the chunk. The submodels are written
// to submodels.ckpt under the names a dacbert encoder gives them (submodel_<type>.*).
#include "agreement_submodels_stage.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include <random>

#include "dac/error.hpp"
#include "dac/file_text.hpp"
#include "dac/kinds/submodel.hpp"
#include "dac/plugin_host.hpp"
#include "dac/records.hpp"
#include "dac/schedules.hpp"
#include "dac/text/prepared_manifest.hpp"
#include "dac/text/vocab.hpp"
#include "dac/train/adamw.hpp"
#include "dac/train/checkpoint.hpp"
#include "dac/train/chunk_mlm.hpp"
#include "dac/train/compute.hpp"
#include "dac/train/gradient_step.hpp"

namespace dac::plugins {

namespace {

const std::vector<std::string> kDefaultTypes = {"subject_verb", "verb_object", "adjective_noun",
                                                "determiner_noun"};

// The submodels of all types in one module, named as in the dacbert encoder.
struct SubmodelSet : torch::nn::Module {
  std::vector<std::shared_ptr<Submodel>> submodels;
};

class AgreementSubmodelsStage : public Stage {
 public:
  explicit AgreementSubmodelsStage(const Options& options) : options_(options) {}

  ConfigNode run(StageContext& ctx) override {
    const text::PreparedManifest data =
        text::read_prepared_manifest(ctx.input_of_kind("prepare").dir);
    const text::Vocab vocab = text::Vocab::load(data.vocab);
    const std::vector<std::string> types = options_.strings("agreement_types");
    if (types.empty()) options_.fail("agreement_types", "names no agreement type");
    const auto chunks = train::read_chunk_examples(data.train_tokens, types,
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
    auto set = std::make_shared<SubmodelSet>();
    for (const std::string& type : types) {
      set->submodels.push_back(ctx.plugins().create<Submodel>(
          submodel_table, options_.key_path("submodel") + " (" + type + ")"));
      set->register_module("submodel_" + type, set->submodels.back());
    }
    const train::Compute compute = train::resolve_compute(train::compute_request_from(options_));
    set->to(compute.device);
    set->train();

    train::AdamW optimizer(train::recipe_parameter_groups(*set, options_.real("weight_decay")), {});
    train::LocalGradients reducer;
    const train::ChunkMaskingSpec masking{.mask_id = vocab.mask(),
                                          .padding_id = vocab.pad(),
                                          .rate = options_.real("mask_rate"),
                                          .anchor_share = options_.real("anchor_share")};
    std::mt19937_64 random(seed);
    const std::int64_t steps = options_.integer("steps");
    const auto batch_chunks = static_cast<std::size_t>(options_.integer("batch_chunks"));
    Progress progress(ctx.log(), "stage 1", static_cast<std::uint64_t>(steps), "steps");
    std::vector<double> last_losses(types.size(), 0.0);
    for (std::int64_t step = 0; step < steps; ++step) {
      // One micro-batch per type; gradient_step averages their losses, in this order.
      std::vector<Batch> batches;
      for (const auto& examples : chunks) {
        std::vector<std::size_t> indices(batch_chunks);
        for (std::size_t& index : indices) index = random() % examples.size();
        batches.push_back(train::chunk_mlm_batch(examples, indices, masking, random));
      }
      std::size_t type = 0;
      const auto loss = [&](const Batch& batch) {
        torch::Tensor value = train::chunk_mlm_loss(*set->submodels[type], batch);
        last_losses[type] = value.item<double>();
        ++type;
        return value;
      };
      const double progress_t = static_cast<double>(step) / static_cast<double>(steps);
      const train::StepResult result = train::gradient_step(
          batches, loss, optimizer, reducer, compute,
          {.lr = options_.real("learning_rate") * cosine_multiplier(progress_t, 0.1),
           .clip_norm = options_.real("clip_norm")});
      progress.set(static_cast<std::uint64_t>(step + 1));
      if ((step + 1) % options_.integer("log_every") == 0 || step + 1 == steps)
        ctx.log().info(fmt::format("step {}: loss {:.4f} ({})", step + 1, result.loss,
                                   losses_text(types, last_losses)));
    }

    train::CheckpointMeta meta;
    meta.config_toml = to_toml(ctx.config());
    meta.vocab_text = read_whole_file(data.vocab, "vocabulary");
    meta.normalizer = data.normalizer;
    meta.encoder_toml = to_toml(submodel_table);
    train::save_checkpoint(ctx.dir() / "submodels.ckpt", *set, nullptr, meta);

    ConfigNode result = ConfigNode::table();
    for (std::size_t t = 0; t < types.size(); ++t)
      result.set("loss_" + types[t], ConfigNode::real(last_losses[t]));
    return result;
  }

 private:
  static std::string losses_text(const std::vector<std::string>& types,
                                 const std::vector<double>& losses) {
    std::string text;
    for (std::size_t t = 0; t < types.size(); ++t)
      text += fmt::format("{}{} {:.3f}", t ? ", " : "", types[t], losses[t]);
    return text;
  }

  Options options_;
};

ConfigSchema agreement_submodels_schema() {
  ConfigSchema schema;
  schema.strings("agreement_types", kDefaultTypes, "agreement types, one submodel each")
      .optional_plugin("submodel", "submodel",
                       "the submodel of every type (default: chunk_transformer with the "
                       "prepared vocabulary)")
      .integer("steps", 1000, "optimizer steps (each sees one batch of chunks per type)")
      .min(1)
      .integer("batch_chunks", 64, "chunks per type per step")
      .min(1)
      .real("learning_rate", 1e-3, "peak AdamW learning rate (cosine, 10% warm-up)")
      .min(0)
      .real("weight_decay", 0.01, "AdamW decoupled weight decay")
      .min(0)
      .real("clip_norm", 0.5, "global gradient-norm clip (0 = none)")
      .min(0)
      .real("mask_rate", 0.15, "share of a chunk's wordpieces masked (at least one)")
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
      .optional("seed", KeyType::Int,
                "seed of the weights, batches and masks (default: the experiment's)");
  train::add_compute_options(schema);
  return schema;
}

}  // namespace

PluginSpec agreement_submodels_spec() {
  return PluginSpec{.name = "agreement_submodels",
                    .version = "1",
                    .summary =
                        "DACBERT stage 1: one submodel per agreement type trained with MLM "
                        "inside the chunks of the prepared corpus",
                    .schema = agreement_submodels_schema()};
}

std::unique_ptr<Stage> make_agreement_submodels(const Options& options) {
  return std::make_unique<AgreementSubmodelsStage>(options);
}

}  // namespace dac::plugins
