// Executing runs: the run folder and its files, stage reuse by hash, --resume / --force, record
// sinks for the run and each stage, and the summary after every run.
#include "dac/runner.hpp"

#include <chrono>
#include <cstring>
#include <set>
#include <stdexcept>

#include "dac/error.hpp"
#include "dac/kinds/stage.hpp"
#include "dac/plugin_host.hpp"
#include "dac/stage_state.hpp"
#include "dac/summary.hpp"

namespace dac {
namespace fs = std::filesystem;

const char* stage_outcome_name(StageOutcome outcome) {
  switch (outcome) {
    case StageOutcome::Ran:
      return "ran";
    case StageOutcome::Resumed:
      return "resumed";
    case StageOutcome::Reused:
      return "reused";
    case StageOutcome::Failed:
      return "failed";
    case StageOutcome::Skipped:
      return "skipped";
  }
  return "?";
}

std::string stage_status(const fs::path& stage_dir) {
  const auto state = read_stage_state(stage_dir);
  return state ? state.value().status : "missing";
}

namespace {

// Adds sinks to a bus for a scope and removes them after.
class ScopedSinks {
 public:
  ScopedSinks(RecordBus& bus, std::vector<std::shared_ptr<RecordSink>> sinks)
      : bus_(bus), sinks_(std::move(sinks)) {
    for (auto& sink : sinks_) bus_.add_sink(sink);
  }
  ~ScopedSinks() {
    for (auto& sink : sinks_) {
      sink->flush();
      bus_.remove_sink(sink);
    }
  }

 private:
  RecordBus& bus_;
  std::vector<std::shared_ptr<RecordSink>> sinks_;
};

void create_folder(const fs::path& folder, const char* what) {
  std::error_code error;
  fs::create_directories(folder, error);
  if (error || !fs::is_directory(folder))
    throw UserError("cannot create " + std::string(what) + " '" + folder.string() +
                    "': " + (error ? error.message() : "not a folder") +
                    ". Choose a writable runs folder with --runs-dir or [experiment] runs_dir.");
}

// Stages that are unfinished and would need --resume or --force.
void check_unfinished(const ExperimentPlan& plan, const RunnerOptions& options) {
  if (options.resume || options.force) return;
  std::vector<std::string> blocked;
  for (const auto& run : plan.runs)
    for (const auto& stage : run.stages) {
      const std::string status = stage_status(stage.dir);
      if (status == "running" && StageLock::held_elsewhere(stage.dir))
        throw UserError("stage '" + stage.name + "' (" + stage.dir.string() +
                        ") is being computed by another dacrun process right now; wait for it "
                        "to finish, then run again to reuse its result.");
      if (status == "running" || status == "failed")
        blocked.push_back("stage '" + stage.name + "' (" + status + ", " + stage.dir.string() +
                          ")");
    }
  if (blocked.empty()) return;
  std::sort(blocked.begin(), blocked.end());
  blocked.erase(std::unique(blocked.begin(), blocked.end()), blocked.end());
  std::string list;
  for (const auto& item : blocked) list += "\n  " + item;
  throw UserError("unfinished stages with the same hash exist:" + list +
                  "\nContinue them with --resume, or start them again with --force.");
}

ConfigNode sweep_table(const RunPlan& run) {
  ConfigNode table = ConfigNode::table();
  for (const auto& [path, value] : run.sweep_point) table.set(path, value);
  return table;
}

void write_run_file(const ExperimentPlan& plan, const RunPlan& run, const std::string& status,
                    const std::string& started, const std::string& error) {
  ConfigNode table = ConfigNode::table();
  table.set("experiment", ConfigNode::string(plan.name));
  table.set("experiment_file", ConfigNode::string(fs::absolute(plan.file).string()));
  table.set("variant", ConfigNode::string(run.variant));
  table.set("sweep_index", ConfigNode::integer(run.sweep_index));
  table.set("hash", ConfigNode::string(run.hash));
  table.set("status", ConfigNode::string(status));
  table.set("started", ConfigNode::string(started));
  if (status != "running") table.set("finished", ConfigNode::string(utc_now_iso8601()));
  if (!error.empty()) table.set("error", ConfigNode::string(error));
  table.set("sweep", sweep_table(run));
  ConfigNode stages = ConfigNode::array();
  for (const auto& stage : run.stages) {
    ConfigNode entry = ConfigNode::table();
    entry.set("name", ConfigNode::string(stage.name));
    entry.set("kind", ConfigNode::string(stage.kind));
    entry.set("hash", ConfigNode::string(stage.hash));
    entry.set("dir", ConfigNode::string(fs::absolute(stage.dir).lexically_normal().string()));
    stages.push_back(std::move(entry));
  }
  table.set("stages", stages);
  write_file_atomically(run.dir / "run.toml", to_toml(table));
}

void link_stage_into_run(const RunPlan& run, const StagePlan& stage) {
  const fs::path links = run.dir / "stages";
  create_folder(links, "run folder");
  const fs::path link = links / stage.name;
  std::error_code ignored;
  fs::remove(link, ignored);
  fs::create_directory_symlink(fs::relative(fs::absolute(stage.dir), fs::absolute(links)), link);
}

struct StageRun {
  StageOutcome outcome;
  ConfigNode result;
};

// Stage folders (re)computed by this invocation: --force reruns each of them once, even when
// several runs share it.
using ComputedStages = std::set<fs::path>;

StageRun run_stage(const RunPlan& run, const StagePlan& stage,
                   const std::vector<StageInput>& inputs, PluginHost& host,
                   const RunnerOptions& options, RecordBus& bus, ComputedStages& computed) {
  RunLog log(bus, run.folder_name, stage.name);
  const auto previous = read_stage_state(stage.dir);
  const bool force = options.force && !computed.contains(stage.dir);
  // A shared stage that failed earlier in this invocation is not tried again by a later run:
  // continuing it takes --resume (or --force) in a new invocation.
  if (previous && previous->status != "finished" && computed.contains(stage.dir)) {
    const std::string message =
        "failed earlier in this invocation (" + stage.dir.string() + "): " + previous->error;
    log.error("stage " + stage.name + " " + message);
    throw std::runtime_error(message);
  }
  if (previous && previous->status == "finished" && !force) {
    Record record{Record::Event::StageEnd};
    record.run = run.folder_name;
    record.stage = stage.name;
    record.message =
        "stage " + stage.name + " reused (hash " + stage.hash + ", " + stage.dir.string() + ")";
    bus.emit(std::move(record));
    return {StageOutcome::Reused, previous->result};
  }
  const bool resuming = previous && !force;
  computed.insert(stage.dir);
  if (force && fs::exists(stage.dir)) {
    StageLock lock(stage.dir);
    for (const auto& item : fs::directory_iterator(stage.dir))
      if (item.path().filename() != ".lock") fs::remove_all(item.path());
  }
  create_folder(stage.dir, "stage folder");
  StageLock lock(stage.dir);
  ScopedSinks sinks(bus, {std::make_shared<JsonlSink>(stage.dir / "metrics.jsonl"),
                          std::make_shared<TextLogSink>(stage.dir / "log.txt")});

  StageState state;
  state.name = stage.name;
  state.kind = stage.kind;
  state.hash = stage.hash;
  state.status = "running";
  state.started = utc_now_iso8601();
  state.hash_input = stage.hash_input;
  write_stage_state(stage.dir, state);

  Record start{Record::Event::StageStart};
  start.run = run.folder_name;
  start.stage = stage.name;
  start.message = std::string(resuming ? "stage " + stage.name + " resumed"
                                       : "stage " + stage.name + " started") +
                  " (" + stage.kind + ", hash " + stage.hash + ")";
  bus.emit(std::move(start));

  const auto began = std::chrono::steady_clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  };
  try {
    StageContext::Setup setup;
    setup.stage_name = stage.name;
    setup.hash = stage.hash;
    setup.dir = stage.dir;
    setup.resuming = resuming;
    setup.seed = run.seed;
    setup.config = &run.config;
    setup.sections = stage.sections;
    setup.inputs = inputs;
    setup.plugins = &host;
    setup.log = &log;
    StageContext context(std::move(setup));
    auto implementation =
        host.create_named<Stage>(stage.kind, stage.options, "stages." + stage.name);
    state.result = implementation->run(context);
    if (!state.result.is_table()) state.result = ConfigNode::table();
  } catch (const std::exception& failure) {
    state.status = "failed";
    state.error = failure.what();
    state.wall_s = seconds();
    write_stage_state(stage.dir, state);
    log.error("stage " + stage.name + " failed after " + format_duration(state.wall_s) + ": " +
              failure.what());
    throw;
  }
  state.status = "finished";
  state.finished = utc_now_iso8601();
  state.wall_s = seconds();
  write_stage_state(stage.dir, state);

  Record end{Record::Event::StageEnd};
  end.run = run.folder_name;
  end.stage = stage.name;
  end.values = state.result;
  end.values.set("wall_s", ConfigNode::real(state.wall_s));
  end.message = "stage " + stage.name + " finished in " + format_duration(state.wall_s);
  bus.emit(std::move(end));
  return {resuming ? StageOutcome::Resumed : StageOutcome::Ran, state.result};
}

RunOutcome execute_run(const ExperimentPlan& plan, const RunPlan& run, PluginHost& host,
                       const RunnerOptions& options, RecordBus& bus, ComputedStages& computed) {
  RunOutcome outcome;
  outcome.folder_name = run.folder_name;
  create_folder(run.dir, "run folder");
  const std::string started = utc_now_iso8601();
  write_file_atomically(run.dir / "config.toml",
                        "# Resolved configuration of this run; comments say where each value "
                        "was set.\n" +
                            to_toml(run.config, true));
  ConfigNode provenance = collect_provenance(plan.file, options);
  provenance.set("plugin_libraries", host.describe_libraries());
  write_file_atomically(run.dir / "provenance.json", to_json(provenance) + "\n");
  write_run_file(plan, run, "running", started, "");

  ScopedSinks sinks(bus, {std::make_shared<JsonlSink>(run.dir / "metrics.jsonl"),
                          std::make_shared<TextLogSink>(run.dir / "log.txt")});
  RunLog log(bus, run.folder_name, "");
  log.info("run " + run.folder_name + " (variant " + run.variant + ") in " + run.dir.string());

  std::vector<StageInput> finished;
  for (const auto& stage : run.stages) {
    if (!outcome.succeeded) {
      outcome.stages.emplace_back(stage.name, StageOutcome::Skipped);
      continue;
    }
    std::vector<StageInput> inputs;
    for (const auto& name : stage.inputs)
      for (const auto& done : finished)
        if (done.name == name) inputs.push_back(done);
    try {
      link_stage_into_run(run, stage);
      StageRun result = run_stage(run, stage, inputs, host, options, bus, computed);
      finished.push_back(
          StageInput{stage.name, stage.kind, stage.hash, stage.dir, std::move(result.result)});
      outcome.stages.emplace_back(stage.name, result.outcome);
    } catch (const std::exception& failure) {
      outcome.succeeded = false;
      outcome.user_error = dynamic_cast<const UserError*>(&failure) != nullptr;
      outcome.error = "stage '" + stage.name + "': " + failure.what();
      outcome.stages.emplace_back(stage.name, StageOutcome::Failed);
    }
  }
  write_run_file(plan, run, outcome.succeeded ? "finished" : "failed", started, outcome.error);
  return outcome;
}

}  // namespace

std::vector<RunOutcome> execute_plan(const ExperimentPlan& plan, PluginHost& host,
                                     const RunnerOptions& options, RecordBus& bus) {
  check_unfinished(plan, options);
  create_folder(plan.experiment_dir, "experiment folder");
  std::vector<RunOutcome> outcomes;
  ComputedStages computed;
  for (const auto& run : plan.runs) {
    outcomes.push_back(execute_run(plan, run, host, options, bus, computed));
    write_experiment_summary(plan.experiment_dir);
  }
  return outcomes;
}

}  // namespace dac
