// The attention_study stage: reads rows of a prepare input (held-out ones first) with their
// agreement chunks, runs the encoder of a pretrain input (or a given model) and writes, per
// agreement type, the mean attention probability from each target to its controller per layer and
// head (attention.md, attention.toml). Its result holds the mean and the highest head per type.
#include "attention_stage.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include "dac/error.hpp"
#include "dac/finetune/pretrained_model.hpp"
#include "dac/model/crammed_bert.hpp"
#include "dac/plugin_host.hpp"
#include "dac/records.hpp"
#include "dac/summary.hpp"
#include "dac/text/prepared_manifest.hpp"
#include "dac/train/attention_study.hpp"
#include "dac/train/compute.hpp"
#include "stage_model.hpp"

namespace dac::plugins {

namespace {

class AttentionStudyStage : public Stage {
 public:
  explicit AttentionStudyStage(const Options& options) : options_(options) {}

  ConfigNode run(StageContext& ctx) override {
    const finetune::PretrainedModel model = stage_pretrained_model(options_, ctx);
    const auto encoder = std::dynamic_pointer_cast<model::CrammedBert>(
        finetune::load_pretrained_encoder(model, ctx.plugins()));
    if (!encoder)
      throw UserError("the attention study reads the attention of crammed_bert-style encoders; " +
                      model.checkpoint.string() + " holds another kind");
    const text::PreparedManifest data =
        text::read_prepared_manifest(ctx.input_of_kind("prepare").dir);
    // Held-out rows first, then training rows when there are fewer held-out ones than asked for.
    std::vector<std::filesystem::path> shards = data.validation_tokens;
    shards.insert(shards.end(), data.train_tokens.begin(), data.train_tokens.end());
    const train::Compute compute = train::resolve_compute(train::compute_request_from(options_));
    const train::AttentionStudy study = train::study_attention_to_controllers(
        *encoder, shards, options_.strings("agreement_types"), options_.integer("rows"),
        options_.integer("batch_rows"), compute);
    for (std::size_t k = 0; k < study.types.size(); ++k)
      ctx.log().info(
          fmt::format("{}: {} chunks, target -> controller attention {:.4f} on "
                      "average, {:.4f} in the strongest head (even: {:.4f})",
                      study.types[k], study.chunks[k], study.mean_share(k), study.max_share(k),
                      study.uniform_share));
    write_file_atomically(ctx.dir() / "attention.md",
                          "# " + model.label + "\n\n" + study.markdown());
    ConfigNode shares = ConfigNode::table();
    for (std::size_t k = 0; k < study.types.size(); ++k) {
      ConfigNode layers = ConfigNode::array();
      for (const auto& layer : study.share[k]) {
        ConfigNode heads = ConfigNode::array();
        for (double value : layer) heads.push_back(ConfigNode::real(value));
        layers.push_back(heads);
      }
      shares.set(study.types[k], layers);
    }
    ConfigNode record = study.summary();
    record.set("share", shares);
    write_file_atomically(ctx.dir() / "attention.toml", to_toml(record));
    return study.summary();
  }

 private:
  Options options_;
};

ConfigSchema attention_study_schema() {
  ConfigSchema schema;
  schema
      .strings("agreement_types",
               {"subject_verb", "verb_object", "adjective_noun", "determiner_noun"},
               "the agreement types whose chunks are studied")
      .string("model", "",
              "a checkpoint, pretrain stage folder or run folder to study instead of the "
              "pretrain input")
      .integer("rows", 512, "rows read: the validation rows, then the first train rows")
      .min(1)
      .integer("batch_rows", 32, "rows per forward pass")
      .min(1);
  train::add_compute_options(schema);
  return schema;
}

}  // namespace

PluginSpec attention_study_spec() {
  return PluginSpec{.name = "attention_study",
                    .version = "1",
                    .summary =
                        "attention from agreement targets to their controllers per type, layer "
                        "and head, in a pretrained encoder",
                    .schema = attention_study_schema()};
}

std::unique_ptr<Stage> make_attention_study(const Options& options) {
  return std::make_unique<AttentionStudyStage>(options);
}

}  // namespace dac::plugins
