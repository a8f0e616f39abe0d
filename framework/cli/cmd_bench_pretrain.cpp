// `dacrun bench pretrain`: tokens/s, TFLOP/s and MFU of an encoder plugin's training step on
// this device with random ids, printed as one line; with --profile, a trace of further steps and
// a table of the kernels (CUDA) or operators (CPU) that took their time.
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli.hpp"
#include "dac/error.hpp"
#include "dac/kinds/encoder.hpp"
#include "dac/plugin_host.hpp"
#include "dac/train/compute.hpp"
#include "dac/train/throughput.hpp"
#include "dac/train/trace_profile.hpp"

namespace dac::cli {

namespace {

// Fails early, before the benchmark runs, when the trace could not be written to `path`; leaves
// no file behind that was not there.
void check_trace_writable(const std::string& path) {
  const bool existed = std::filesystem::exists(path);
  std::ofstream probe(path, std::ios::app);
  if (!probe)
    throw UserError(
        fmt::format("--profile: cannot write the trace to '{}': {}", path, std::strerror(errno)));
  probe.close();
  if (!existed) std::filesystem::remove(path);
}

// The table of what took the time of the profiled steps.
void print_profile(const std::string& path, std::int64_t steps, bool cuda) {
  const train::TraceSummary summary = train::summarize_trace(path, steps);
  if (summary.entries.empty())
    throw UserError(
        fmt::format("--profile: the trace '{}' holds no CPU operator or device kernel events; this "
                    "libtorch's profiler may lack Kineto",
                    path));
  if (cuda && !summary.device)
    std::cerr << "dacrun: warning: the trace has no CUDA kernel events (is CUPTI available?); "
                 "the table lists CPU operators\n";
  std::cout << "trace: " << path << "\n" << train::format_trace_summary(summary);
}

}  // namespace

int bench_pretrain(const Args& args) {
  po::options_description options("options");
  options.add_options()("model", po::value<std::string>()->default_value("crammed_bert"),
                        "encoder plugin")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "model option, e.g. --set layers=2 (repeatable; default sizes are the plugin's)")(
      "batch", po::value<std::int64_t>()->default_value(256), "sequences per step")(
      "seq", po::value<std::int64_t>()->default_value(128), "tokens per sequence")(
      "steps", po::value<std::int64_t>()->default_value(20), "timed steps")(
      "warmup", po::value<std::int64_t>()->default_value(5), "untimed steps first")(
      "device", po::value<std::string>()->default_value("auto"), "auto, cpu, cuda or cuda:N")(
      "precision", po::value<std::string>()->default_value("auto"),
      "auto (bf16 on CUDA, fp32 on CPU), bf16 or fp32")(
      "threads", po::value<std::int64_t>()->default_value(0), "CPU threads (0 = all cores)")(
      "peak-tflops", po::value<double>()->default_value(0),
      "device peak for MFU (0 = device table on CUDA, measured fp32 matmul on CPU)")(
      "seed", po::value<std::uint64_t>()->default_value(0), "seed of weights and ids")(
      "chunks-per-row", po::value<std::int64_t>()->default_value(6),
      "random agreement chunks of each type per row, for an encoder that reads them (dacbert)")(
      "chunk-length", po::value<std::int64_t>()->default_value(3), "tokens per random chunk")(
      "profile", po::value<std::string>(),
      "after the timed steps, profile more steps, save the Chrome trace JSON here and print the "
      "kernels (CUDA) or operators (CPU) that took the most time per step")(
      "profile-steps", po::value<std::int64_t>()->default_value(3), "steps to profile");
  add_plugin_option(options);
  po::variables_map values;
  if (!parse_arguments(args, options, {}, values, "usage: dacrun bench pretrain [options]"))
    return kExitOk;

  PluginHost host;
  load_plugins(host, values);
  ConfigNode model = ConfigNode::table();
  model.set("name", ConfigNode::string(values["model"].as<std::string>()));
  merge_into(model, set_assignments(values));

  train::ComputeRequest request;
  request.device = values["device"].as<std::string>();
  request.precision = values["precision"].as<std::string>();
  request.threads = values["threads"].as<std::int64_t>();
  request.peak_tflops = values["peak-tflops"].as<double>();
  const train::Compute compute = train::resolve_compute(request);

  train::ThroughputRequest bench;
  bench.batch = values["batch"].as<std::int64_t>();
  bench.seq_len = values["seq"].as<std::int64_t>();
  bench.steps = values["steps"].as<std::int64_t>();
  bench.warmup = values["warmup"].as<std::int64_t>();
  bench.seed = values["seed"].as<std::uint64_t>();
  bench.chunks_per_row = values["chunks-per-row"].as<std::int64_t>();
  bench.chunk_length = values["chunk-length"].as<std::int64_t>();
  if (bench.batch < 1 || bench.seq_len < 1 || bench.steps < 1 || bench.warmup < 0 ||
      bench.chunks_per_row < 0 || bench.chunk_length < 1)
    throw UserError(
        "--batch, --seq, --steps and --chunk-length must be at least 1, --warmup and "
        "--chunks-per-row at least 0");
  bench.profile_steps = values["profile-steps"].as<std::int64_t>();
  if (bench.profile_steps < 1)
    throw UserError(
        fmt::format("--profile-steps must be at least 1 (got {})", bench.profile_steps));
  if (values.count("profile")) {
    bench.profile_path = values["profile"].as<std::string>();
    if (bench.profile_path.empty()) throw UserError("--profile needs a file path");
    check_trace_writable(bench.profile_path);
  } else if (!values["profile-steps"].defaulted()) {
    throw UserError("--profile-steps needs --profile PATH");
  }

  torch::manual_seed(bench.seed);
  std::shared_ptr<Encoder> encoder = host.create<Encoder>(model, "--model");
  if (bench.seq_len > encoder->max_positions())
    throw UserError(
        fmt::format("--seq {} exceeds the model's max_positions {} (--set "
                    "max_positions=...)",
                    bench.seq_len, encoder->max_positions()));
  const train::Throughput result = train::measure_pretraining(*encoder, compute, bench);
  const ConfigNode description = encoder->describe();
  auto size = [&](const char* key) {
    const ConfigNode* node = description.find(key);
    return node ? std::to_string(node->as_int()) : std::string("?");
  };
  const ConfigNode* fused = description.find("fused_kernels");
  std::cout << fmt::format(
      "bench pretrain {} layers={} hidden={} params={:.1f}M batch={}x{} device=\"{}\" "
      "precision={}{} threads={} tokens/s={:.0f} ms/step={:.1f} TFLOP/s={:.2f} MFU={:.3f} "
      "(peak {:.1f} TFLOP/s, {}) memory={:.0f}MB\n",
      values["model"].as<std::string>(), size("layers"), size("hidden"), result.parameters / 1e6,
      bench.batch, bench.seq_len, compute.device_name, compute.bf16 ? "bf16" : "fp32",
      fused && fused->as_bool() ? " fused_kernels" : "", compute.threads, result.tokens_per_s,
      result.seconds_per_step * 1e3, result.tflops, result.mfu, compute.peak_flops / 1e12,
      compute.peak_source, result.memory_bytes / 1048576.0);
  if (!bench.profile_path.empty())
    print_profile(bench.profile_path, bench.profile_steps, compute.device.is_cuda());
  return kExitOk;
}

}  // namespace dac::cli
