// `dacrun dump-config EXPERIMENT.toml`: the configuration after includes, variant, sweep point and
// --set overrides, as TOML (optionally with where each value was set).
#include <iostream>

#include "cli.hpp"
#include "dac/error.hpp"
#include "dac/experiment.hpp"

namespace dac::cli {

int dump_config_command(const Args& args) {
  po::options_description options("options");
  options.add_options()("experiment", po::value<std::string>()->required(),
                        "the experiment file (.toml)")(
      "variant", po::value<std::string>(),
      "resolve this variant (without it: the file after includes and --set, variants and "
      "sweep still in it)")("point", po::value<int>(),
                            "with --variant: the sweep point to resolve (from 0)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override a config value, e.g. --set train.lr=5e-4 (repeatable)")(
      "origins", "add a comment to each value saying where it was set");
  po::positional_options_description positional;
  positional.add("experiment", 1);
  po::variables_map values;
  if (!parse_arguments(args, options, positional, values,
                       "usage: dacrun dump-config EXPERIMENT.toml [--variant V [--point N]]"))
    return kExitOk;

  const ConfigNode file_config = load_experiment_file(values["experiment"].as<std::string>());
  std::vector<ConfigNode> overrides;
  if (values.count("set"))
    for (const auto& text : values["set"].as<std::vector<std::string>>())
      overrides.push_back(parse_override(text));

  ConfigNode resolved;
  if (values.count("variant")) {
    const std::string variant = values["variant"].as<std::string>();
    const VariantConfig variant_config = resolve_variant(file_config, variant);
    int point = values.count("point") ? values["point"].as<int>() : -1;
    if (point < 0 && !variant_config.sweep_points.empty()) {
      point = 0;
      std::cout << "# variant " << variant << " has " << variant_config.sweep_points.size()
                << " sweep points; showing point 0 (choose one with --point)\n";
    }
    resolved = resolve_run_config(file_config, variant, point, overrides);
  } else {
    if (values.count("point")) throw UserError("--point needs --variant");
    resolved = file_config;
    for (const auto& override_table : overrides) merge_into(resolved, override_table);
  }
  std::cout << to_toml(resolved, values.count("origins") > 0);
  return kExitOk;
}

}  // namespace dac::cli
