// Argument parsing and plugin loading shared by the dacrun subcommands.
#include <iostream>

#include "cli.hpp"
#include "dac/plugin_host.hpp"

namespace dac::cli {

bool parse_arguments(const Args& args, const po::options_description& options,
                     const po::positional_options_description& positional,
                     po::variables_map& values, const std::string& usage) {
  po::options_description all = options;
  all.add_options()("help,h", "show this help");
  po::store(po::command_line_parser(args).options(all).positional(positional).run(), values);
  if (values.count("help")) {
    std::cout << usage << "\n" << all << "\n";
    return false;
  }
  po::notify(values);
  return true;
}

void add_plugin_option(po::options_description& options) {
  options.add_options()("plugin", po::value<std::vector<std::string>>()->composing(),
                        "also load this plugin library or folder (repeatable)");
}

ConfigNode set_assignments(const po::variables_map& values) {
  ConfigNode table = ConfigNode::table();
  if (values.count("set"))
    for (const auto& assignment : values["set"].as<std::vector<std::string>>())
      merge_into(table, parse_override(assignment));
  return table;
}

void load_plugins(PluginHost& host, const po::variables_map& values) {
  host.load_default_plugins();
  if (values.count("plugin"))
    for (const auto& path : values["plugin"].as<std::vector<std::string>>()) host.load_path(path);
}

}  // namespace dac::cli
