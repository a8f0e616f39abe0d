// Costs the framework adds around the real work: a metrics record per training step (JSON and a
// JSON Lines file), resolving and hashing an experiment, building a component from a config table.
// Run: build/bin/dac_bench_framework
#include <benchmark/benchmark.h>

#include <filesystem>

#include "dac/experiment.hpp"
#include "dac/kinds/stage.hpp"
#include "dac/plugin.hpp"
#include "dac/plugin_host.hpp"
#include "dac/records.hpp"

namespace {

namespace fs = std::filesystem;

dac::Record training_step_record(std::int64_t step) {
  dac::Record record{dac::Record::Event::Metrics};
  record.run = "quickstart-default-0123456789";
  record.stage = "pretrain";
  record.step = step;
  record.values.set("loss", dac::ConfigNode::real(2.3456));
  record.values.set("lr", dac::ConfigNode::real(9.5e-4));
  record.values.set("tokens_per_s", dac::ConfigNode::real(412345.0));
  record.values.set("tflops", dac::ConfigNode::real(198.7));
  record.values.set("mfu", dac::ConfigNode::real(0.26));
  record.values.set("memory_gib", dac::ConfigNode::real(31.2));
  return record;
}

void BM_RecordToJson(benchmark::State& state) {
  const dac::Record record = training_step_record(1000);
  for (auto _ : state) benchmark::DoNotOptimize(dac::record_to_json(record));
}
BENCHMARK(BM_RecordToJson);

void BM_RecordBusToJsonlFile(benchmark::State& state) {
  const fs::path path = fs::temp_directory_path() / "dac_bench_metrics.jsonl";
  {
    dac::RecordBus bus;
    bus.add_sink(std::make_shared<dac::JsonlSink>(path));
    std::int64_t step = 0;
    for (auto _ : state) bus.emit(training_step_record(step++));
  }
  fs::remove(path);
}
BENCHMARK(BM_RecordBusToJsonlFile);

void BM_ResolveAndHashRunConfig(benchmark::State& state) {
  const dac::ConfigNode file =
      dac::load_experiment_file(fs::path(DAC_SOURCE_DIR) / "experiments" / "system_sweep.toml");
  const std::vector<dac::ConfigNode> overrides{dac::parse_override("experiment.seed=3")};
  for (auto _ : state) {
    const dac::ConfigNode run = dac::resolve_run_config(file, "small_check", 1, overrides);
    benchmark::DoNotOptimize(dac::content_hash(dac::canonical_json(run)));
  }
}
BENCHMARK(BM_ResolveAndHashRunConfig);

class NothingStage : public dac::Stage {
 public:
  dac::ConfigNode run(dac::StageContext&) override { return dac::ConfigNode::table(); }
};

void BM_CreateFromConfigTable(benchmark::State& state) {
  dac::PluginHost host;
  dac::PluginRegistrar registrar(host, "in-process", nullptr);
  registrar.add<dac::Stage>({.name = "nothing",
                             .version = "1",
                             .summary = "does nothing",
                             .schema = dac::ConfigSchema()
                                           .integer("steps", 10, "steps")
                                           .real("lr", 1e-3, "learning rate")
                                           .string("mode", "a", "mode")},
                            [](const dac::Options&) { return std::make_unique<NothingStage>(); });
  dac::ConfigNode table = dac::ConfigNode::table();
  table.set("name", dac::ConfigNode::string("nothing"));
  table.set("steps", dac::ConfigNode::integer(20));
  for (auto _ : state) benchmark::DoNotOptimize(host.create<dac::Stage>(table, "stages.x"));
}
BENCHMARK(BM_CreateFromConfigTable);

}  // namespace

BENCHMARK_MAIN();
