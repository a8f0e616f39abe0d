// The dacrun command line: one function per subcommand, and the pieces they share.
#pragma once

#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "dac/config.hpp"

namespace dac {
class PluginHost;
}

namespace dac::cli {

namespace po = boost::program_options;

using Args = std::vector<std::string>;

int run_command(const Args& args, const std::string& command_line);
int plugins_command(const Args& args);
int dump_config_command(const Args& args);
int bench_command(const Args& args);
int bench_pretrain(const Args& args);  // `dacrun bench pretrain` (needs torch)
int tokenize_command(const Args& args);
int extract_command(const Args& args);
int eval_extract_command(const Args& args);
int eval_parser_command(const Args& args);
int segment_command(const Args& args);
int train_parser_command(const Args& args);  // needs torch
int parse_command(const Args& args);         // needs torch
int glue_command(const Args& args);          // needs torch
int probe_command(const Args& args);         // needs torch

// Parses a subcommand's arguments. `positional` names the options that take positional
// arguments, in order. Returns false (after printing usage) when --help was asked.
bool parse_arguments(const Args& args, const po::options_description& options,
                     const po::positional_options_description& positional,
                     po::variables_map& values, const std::string& usage);

// --plugin PATH (repeatable), shared by the subcommands that load plugins.
void add_plugin_option(po::options_description& options);
// The default plugins, then every --plugin path.
void load_plugins(PluginHost& host, const po::variables_map& values);

// Every --set key=value of a subcommand merged into one table (empty without --set).
ConfigNode set_assignments(const po::variables_map& values);

// Facts about the compute device (torch version, threads, BLAS, CUDA devices), for provenance.
ConfigNode describe_device();

}  // namespace dac::cli
