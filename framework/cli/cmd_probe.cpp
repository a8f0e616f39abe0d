// `dacrun probe`: agreement probing of a pretrained model on minimal pairs (BLiMP's JSON Lines, or
// the synthetic_tasks stage's minimal_pairs.jsonl) by pseudo-log-likelihood, printed as a table
// of accuracy per file, per agreement type and in total.
#include <fmt/format.h>

#include <iostream>

#include "cli.hpp"
#include "dac/error.hpp"
#include "dac/finetune/minimal_pair_probe.hpp"
#include "dac/plugin_host.hpp"
#include "dac/summary.hpp"
#include "dac/train/compute.hpp"

namespace dac::cli {

namespace {

constexpr const char* kProbeUsage =
    "usage: dacrun probe --model RUN_OR_CHECKPOINT --pairs FILE... [--max-pairs N]\n"
    "                    [--batch-size N] [--output FILE.json] [--device D] [--threads N]\n"
    "Scores minimal pairs (JSON Lines with sentence_good and sentence_bad, as in BLiMP) by\n"
    "pseudo-log-likelihood under the model (a checkpoint file, a pretrain stage folder or a run\n"
    "folder): each wordpiece of `[CLS] sentence [SEP]` is masked in turn and the log-probability\n"
    "of the original piece is summed. A pair is right when the good sentence scores higher (ties\n"
    "are wrong). Prints the accuracy per file, per agreement type (the agreement_type field, else\n"
    "linguistics_term without \"_agreement\", else \"other\") and in total.";

}  // namespace

int probe_command(const Args& args) {
  po::options_description options("options");
  options.add_options()("model", po::value<std::string>()->required(),
                        "checkpoint file, pretrain stage folder or run folder")(
      "stage", po::value<std::string>()->default_value(""),
      "the stage of a run folder to probe (default: its pretrain stage)")(
      "pairs", po::value<std::vector<std::string>>()->multitoken()->required(),
      "JSON Lines files of minimal pairs")("max-pairs", po::value<std::size_t>()->default_value(0),
                                           "score only the first N pairs of each file (0: all)")(
      "batch-size", po::value<std::size_t>()->default_value(128), "masked rows per forward pass")(
      "output", po::value<std::string>()->default_value(""),
      "also write every pair's scores and the accuracy as JSON")(
      "device", po::value<std::string>()->default_value("auto"), "auto, cpu, cuda or cuda:N")(
      "precision", po::value<std::string>()->default_value("auto"),
      "auto (bf16 on CUDA, fp32 on CPU), bf16 or fp32")(
      "threads", po::value<std::int64_t>()->default_value(0), "CPU threads (0 = all cores)");
  add_plugin_option(options);
  po::variables_map values;
  if (!parse_arguments(args, options, {}, values, kProbeUsage)) return kExitOk;
  if (values["batch-size"].as<std::size_t>() == 0)
    throw UserError("--batch-size must be at least 1");

  PluginHost host;
  load_plugins(host, values);
  const finetune::PretrainedModel model = finetune::locate_pretrained_model(
      values["model"].as<std::string>(), values["stage"].as<std::string>());
  finetune::MinimalPairProbeOptions probe_options;
  for (const std::string& path : values["pairs"].as<std::vector<std::string>>())
    probe_options.files.emplace_back(path);
  probe_options.max_pairs = values["max-pairs"].as<std::size_t>();
  probe_options.batch_size = values["batch-size"].as<std::size_t>();
  train::ComputeRequest request;
  request.device = values["device"].as<std::string>();
  request.precision = values["precision"].as<std::string>();
  request.threads = values["threads"].as<std::int64_t>();
  const train::Compute compute = train::resolve_compute(request);

  std::cerr << fmt::format("probe: {} on {}\n", model.label, compute.device_name);
  const finetune::MinimalPairProbe probe =
      finetune::run_minimal_pair_probe(model, host, probe_options, compute);
  if (const std::string note = finetune::agreement_embeddings_note(model, probe); !note.empty())
    std::cerr << "probe: " << note << "\n";
  if (probe.truncated_sentences > 0)
    std::cerr << fmt::format(
        "probe: {} sentences were longer than the model's input and lost their last pieces\n",
        probe.truncated_sentences);
  std::cout << glue::probe_table_text(probe.accuracy);
  if (const std::string output = values["output"].as<std::string>(); !output.empty())
    write_file_atomically(
        output,
        to_json(finetune::minimal_pair_probe_config(model, probe, compute.device_name)) + "\n");
  return kExitOk;
}

}  // namespace dac::cli
