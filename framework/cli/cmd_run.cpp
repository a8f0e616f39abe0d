// `dacrun run EXPERIMENT.toml`: plans the runs (variants x sweep points), then runs their stages,
// reusing finished stages by hash.
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "dac/error.hpp"
#include "dac/experiment.hpp"
#include "dac/file_text.hpp"
#include "dac/glue/experiment_agreement_report.hpp"
#include "dac/glue/experiment_glue_report.hpp"
#include "dac/plugin_host.hpp"
#include "dac/runner.hpp"

namespace dac::cli {

namespace {

std::vector<std::string> split_commas(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& value : values) {
    std::stringstream stream(value);
    std::string item;
    while (std::getline(stream, item, ','))
      if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace

int run_command(const Args& args, const std::string& command_line) {
  po::options_description options("options");
  options.add_options()("experiment", po::value<std::string>()->required(),
                        "the experiment file (.toml)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override a config value, e.g. --set train.lr=5e-4 (repeatable; applied last)")(
      "only", po::value<std::vector<std::string>>()->composing(),
      "run only these variants (repeatable or comma-separated)")(
      "dry-run", "print the plan (runs, stages, hashes, what would run) and exit")(
      "resume", "continue stages that did not finish")(
      "force", "run stages again even when a finished result with the same hash exists")(
      "runs-dir", po::value<std::string>(),
      "folder for runs and the stage cache "
      "(default: [experiment] runs_dir, else runs)")(
      "quiet,q", "show only warnings, errors and stage boundaries on the console");
  add_plugin_option(options);
  po::positional_options_description positional;
  positional.add("experiment", 1);
  po::variables_map values;
  if (!parse_arguments(args, options, positional, values,
                       "usage: dacrun run EXPERIMENT.toml [options]"))
    return kExitOk;
  if (values.count("resume") && values.count("force"))
    throw UserError(
        "--resume and --force exclude each other: --resume continues unfinished "
        "stages, --force starts them again");

  ExperimentRequest request;
  request.file = values["experiment"].as<std::string>();
  if (values.count("set")) request.overrides = values["set"].as<std::vector<std::string>>();
  if (values.count("only"))
    request.only = split_commas(values["only"].as<std::vector<std::string>>());
  if (values.count("runs-dir")) request.runs_dir = values["runs-dir"].as<std::string>();

  PluginHost host;
  load_plugins(host, values);
  const ExperimentPlan plan = plan_experiment(request, host);

  RunnerOptions runner;
  runner.resume = values.count("resume") > 0;
  runner.force = values.count("force") > 0;
  runner.verbose = values.count("quiet") == 0;
  runner.command_line = command_line;
  runner.describe_device = describe_device;
  if (values.count("dry-run")) {
    std::cout << describe_plan(plan, runner);
    return kExitOk;
  }

  RecordBus bus;
  bus.add_sink(std::make_shared<ConsoleSink>(stdout, ConsoleSink::stream_is_terminal(stdout),
                                             runner.verbose));
  const std::vector<RunOutcome> outcomes = execute_plan(plan, host, runner, bus);
  bus.flush();

  int failed = 0;
  int user_errors = 0;
  std::cout << "\n"
            << plan.name << ": " << outcomes.size() << " run" << (outcomes.size() == 1 ? "" : "s")
            << " (summary: " << (plan.experiment_dir / "summary.md").string() << ")\n";
  for (const auto& outcome : outcomes) {
    std::cout << "  " << (outcome.succeeded ? "ok     " : "FAILED ") << outcome.folder_name;
    for (const auto& [stage, result] : outcome.stages)
      std::cout << "  " << stage << ":" << stage_outcome_name(result);
    std::cout << "\n";
    if (!outcome.succeeded) {
      ++failed;
      user_errors += outcome.user_error;
      std::cerr << "dacrun: run " << outcome.folder_name << " failed: " << outcome.error << "\n";
    }
  }
  std::vector<std::string> run_folders;
  for (const auto& outcome : outcomes) run_folders.push_back(outcome.folder_name);
  if (const auto glue_table = glue::write_experiment_glue_report(plan.experiment_dir, run_folders))
    std::cout << "\nGLUE (" << glue_table->string() << "):\n" << read_whole_file(*glue_table);
  if (const auto agreements =
          glue::write_experiment_agreement_report(plan.experiment_dir, run_folders))
    std::cout << "\nAgreement gates and probing (" << agreements->string() << "):\n"
              << read_whole_file(*agreements);
  // Runs that stopped on bad input (a missing file, a malformed line) exit like other user errors.
  if (failed && failed == user_errors) return kExitUserError;
  return failed ? kExitFailure : kExitOk;
}

}  // namespace dac::cli
