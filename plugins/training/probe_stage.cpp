// The probe stage: scores minimal pairs (the minimal_pairs.jsonl of a synthetic_tasks input, or
// the given files) by pseudo-log-likelihood under the encoder of a pretrain input stage (or a
// given model), writes probe.json and probe.md, and returns the accuracy per agreement type and in
// total.
#include "probe_stage.hpp"

#include <fmt/format.h>

#include <memory>

#include "dac/finetune/minimal_pair_probe.hpp"
#include "dac/records.hpp"
#include "dac/summary.hpp"
#include "dac/train/compute.hpp"
#include "stage_model.hpp"

namespace dac::plugins {

namespace {

constexpr const char* kSyntheticPairs = "minimal_pairs.jsonl";

// The files: `pairs` when given, else the minimal pairs of a synthetic_tasks input.
std::vector<std::filesystem::path> pair_files(const Options& options, const StageContext& ctx) {
  std::vector<std::filesystem::path> files;
  for (const ConfigNode& path : options.node("pairs").items())
    files.push_back(resolve_config_path(path));
  if (!files.empty()) return files;
  for (const StageInput& input : ctx.inputs())
    if (input.kind == "synthetic_tasks") return {input.dir / kSyntheticPairs};
  options.fail("pairs",
               "no minimal pairs to probe: list JSON Lines files in `pairs`, or give the stage a "
               "synthetic_tasks input (its minimal_pairs.jsonl)");
}

// The stage result: accuracy in percent per agreement type and in total.
ConfigNode summary(const glue::ProbeAccuracy& accuracy) {
  ConfigNode result = ConfigNode::table();
  for (const glue::AccuracyCount& type : accuracy.types)
    result.set(type.name, ConfigNode::real(type.percent()));
  result.set("total", ConfigNode::real(accuracy.total.percent()));
  result.set("pairs", ConfigNode::integer(static_cast<std::int64_t>(accuracy.total.pairs)));
  return result;
}

class ProbeStage : public Stage {
 public:
  explicit ProbeStage(const Options& options) : options_(options) {}

  ConfigNode run(StageContext& ctx) override {
    const finetune::PretrainedModel model = stage_pretrained_model(options_, ctx);
    finetune::MinimalPairProbeOptions probe_options;
    probe_options.files = pair_files(options_, ctx);
    probe_options.max_pairs = static_cast<std::size_t>(options_.integer("max_pairs"));
    probe_options.batch_size = static_cast<std::size_t>(options_.integer("batch_size"));
    const train::Compute compute = train::resolve_compute(train::compute_request_from(options_));
    ctx.log().info(fmt::format("probing {} on {} file(s), {}", model.label,
                               probe_options.files.size(), compute.device_name));

    std::unique_ptr<Progress> progress;
    probe_options.progress = [&](std::size_t done, std::size_t total) {
      if (!progress)
        progress = std::make_unique<Progress>(ctx.log(), "probing", total, "masked rows");
      progress->set(done);
    };
    const finetune::MinimalPairProbe probe =
        finetune::run_minimal_pair_probe(model, ctx.plugins(), probe_options, compute);
    progress.reset();
    if (const std::string note = finetune::agreement_embeddings_note(model, probe); !note.empty())
      ctx.log().warn(note);

    write_file_atomically(
        ctx.dir() / "probe.json",
        to_json(finetune::minimal_pair_probe_config(model, probe, compute.device_name)) + "\n");
    write_file_atomically(ctx.dir() / "probe.md", "# Agreement probing of " + model.label + "\n\n" +
                                                      glue::probe_table_markdown(probe.accuracy));
    ctx.log().info("accuracy on minimal pairs:\n" + glue::probe_table_text(probe.accuracy));
    return summary(probe.accuracy);
  }

 private:
  Options options_;
};

ConfigSchema probe_schema() {
  ConfigSchema schema;
  schema
      .strings("pairs", {},
               "JSON Lines files of minimal pairs (BLiMP's format); default: the "
               "minimal_pairs.jsonl of a synthetic_tasks input")
      .string("model", "",
              "a checkpoint, pretrain stage folder or run folder to probe instead of the "
              "pretrain input")
      .integer("max_pairs", 0, "score only the first N pairs of each file (0: all)")
      .min(0)
      .integer("batch_size", 128, "masked rows per forward pass")
      .min(1);
  train::add_compute_options(schema);
  return schema;
}

}  // namespace

PluginSpec probe_spec() {
  return PluginSpec{.name = "probe",
                    .version = "1",
                    .summary =
                        "agreement probing: accuracy on minimal pairs by pseudo-log-likelihood "
                        "under the pretrained encoder, per file and agreement type",
                    .schema = probe_schema()};
}

std::unique_ptr<Stage> make_probe(const Options& options) {
  return std::make_unique<ProbeStage>(options);
}

}  // namespace dac::plugins
