// Executing an experiment plan: run folders, provenance, record streams, stage reuse by hash,
// --resume and --force, and the experiment's summary tables.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "dac/config.hpp"
#include "dac/experiment.hpp"
#include "dac/records.hpp"

namespace dac {

class PluginHost;

struct RunnerOptions {
  bool resume = false;       // continue unfinished stages
  bool force = false;        // rerun stages even when a finished result with the same hash exists
  bool verbose = true;       // show info lines and metrics on the console
  std::string command_line;  // recorded in provenance
  std::function<ConfigNode()> describe_device;  // device facts for provenance (may be empty)
};

// What happened to one stage of one run.
enum class StageOutcome { Ran, Resumed, Reused, Failed, Skipped };
const char* stage_outcome_name(StageOutcome outcome);

struct RunOutcome {
  std::string folder_name;
  bool succeeded = true;
  std::string error;        // the first failure, when !succeeded
  bool user_error = false;  // the failure was bad input (a UserError), not a crash
  std::vector<std::pair<std::string, StageOutcome>> stages;
};

// Runs every run of the plan in order; a run whose stage fails is recorded and the next run
// starts. Throws UserError before doing any work when a stage is unfinished and neither
// --resume nor --force was given, or when the runs folder is not writable.
std::vector<RunOutcome> execute_plan(const ExperimentPlan& plan, PluginHost& host,
                                     const RunnerOptions& options, RecordBus& console_bus);

// The state of a stage folder: "missing", "running", "failed" or "finished".
std::string stage_status(const std::filesystem::path& stage_dir);

// The dry-run listing: runs with their folders, and each stage with its hash and what running
// would do (run / reuse / resume / blocked).
std::string describe_plan(const ExperimentPlan& plan, const RunnerOptions& options);

// Rebuilds <experiment_dir>/summary.csv and summary.md from every run folder in it.
void write_experiment_summary(const std::filesystem::path& experiment_dir);

// Provenance of a run: dacrun build, library versions, device, host, repository commit, time.
ConfigNode collect_provenance(const std::filesystem::path& experiment_file,
                              const RunnerOptions& options);

}  // namespace dac
