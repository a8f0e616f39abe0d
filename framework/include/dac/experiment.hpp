// Experiments: a config file with [[stages]], named [variants.*] and a [sweep], expanded into
// runs (variants x sweep points), each with its stages' content hashes. Precedence, lowest first:
// base includes -> the file -> the variant -> the sweep point -> --set overrides.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "dac/config.hpp"
#include "dac/options.hpp"

namespace dac {

class PluginHost;

struct ExperimentRequest {
  std::filesystem::path file;
  std::vector<std::string> overrides;  // "key.path=value", applied last, in order
  std::vector<std::string> only;       // variant names to keep (empty: all)
  std::filesystem::path runs_dir;      // overrides [experiment] runs_dir when non-empty
};

struct StagePlan {
  std::string name;
  std::string kind;  // the stage plugin
  std::vector<std::string> inputs;
  ConfigNode options;             // the [[stages]] entry without name/kind/inputs
  std::vector<Options> sections;  // the top-level tables the stage declares, validated
  ConfigNode hash_input;          // everything the hash covers, as a table
  std::string hash;               // 16 hex digits
  std::filesystem::path dir;
};

struct RunPlan {
  std::string variant;
  std::vector<std::pair<std::string, ConfigNode>> sweep_point;  // key path -> value
  int sweep_index = -1;                                         // -1 when there is no sweep
  ConfigNode config;                                            // fully resolved
  std::string hash;
  std::string folder_name;  // "<experiment>-<variant>[-p<k>]-<hash10>"
  std::filesystem::path dir;
  std::uint64_t seed = 0;
  std::vector<StagePlan> stages;  // in execution order (inputs first)
};

struct ExperimentPlan {
  std::string name;
  std::filesystem::path file;
  std::filesystem::path runs_dir;
  std::filesystem::path experiment_dir;  // runs_dir / name
  std::vector<RunPlan> runs;
};

// Reads the file with includes and applies nothing else. The result still holds `variants` and
// `sweep`.
ConfigNode load_experiment_file(const std::filesystem::path& file);

// The names of the variants, in file order; {"default"} when the file defines none.
std::vector<std::string> variant_names(const ConfigNode& file_config);

// The config of one variant before sweeps (variants/sweep removed), and its sweep points.
struct VariantConfig {
  ConfigNode config;
  std::vector<std::vector<std::pair<std::string, ConfigNode>>> sweep_points;  // empty: no sweep
};
VariantConfig resolve_variant(const ConfigNode& file_config, const std::string& variant);

// The fully resolved config of one run: variant, then sweep point `point` (if any), then the
// overrides.
ConfigNode resolve_run_config(const ConfigNode& file_config, const std::string& variant, int point,
                              const std::vector<ConfigNode>& overrides);

// Loads plugins the experiment names ([plugins] paths) into `host`.
void load_experiment_plugins(const ConfigNode& config, PluginHost& host);

// Expands and validates everything (keys, types, plugin names, stage graph) and computes hashes.
// Needs every plugin the experiment uses to be loaded in `host`.
ExperimentPlan plan_experiment(const ExperimentRequest& request, PluginHost& host);

// The schema of the [experiment] table.
const ConfigSchema& experiment_schema();

// 16 hex digits of a 64-bit content hash of `text`.
std::string content_hash(std::string_view text);

}  // namespace dac
