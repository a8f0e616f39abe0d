// dacrun: the single command-line entry point. Dispatches subcommands and turns errors into
// messages and exit codes (0 success, 1 failure, 2 user error).
#include <cstdio>
#include <exception>
#include <iostream>

#include "cli.hpp"
#include "dac/build_info.hpp"
#include "dac/cpu_runtime.hpp"
#include "dac/error.hpp"
#include "dac/suggest.hpp"

namespace {

constexpr const char* kUsage = R"(dacrun: Crammed BERT and DACBERT pretraining experiments

usage:
  dacrun EXPERIMENT.toml [options]      same as `dacrun run`
  dacrun run EXPERIMENT.toml [options]  run an experiment's variants, sweep points and stages
  dacrun plugins [--kind K]             list plugin kinds, plugins, their libraries and config keys
  dacrun dump-config EXPERIMENT.toml    print the fully resolved configuration
  dacrun tokenize --vocab FILE          WordPiece-encode one text per line, as JSON lines
  dacrun extract --extractor NAME --conllu FILE
                                        run an agreement extractor on a treebank, chunks as JSON
  dacrun eval-extract --gold FILE --system FILE
                                        score agreement extraction on a parse against gold trees
  dacrun segment --input FILE           split English text into sentences and words, as CoNLL-U
  dacrun eval-parser --gold FILE --system FILE
                                        score a parse with the CoNLL 2018 metrics (LAS, UAS, ...)
  dacrun train-parser --train FILE --dev FILE --out MODEL
                                        train the built-in tagger and dependency parser
  dacrun parse --model MODEL --input FILE
                                        tag and parse text or CoNLL-U, as CoNLL-U
  dacrun glue --model RUN_OR_CHECKPOINT --tasks rte,mrpc
                                        fine-tune and evaluate on GLUE tasks (median of N seeds)
  dacrun probe --model RUN_OR_CHECKPOINT --pairs FILE...
                                        agreement accuracy on minimal pairs (pseudo-log-likelihood)
  dacrun bench <name>                   measure speed (see `dacrun bench --help`)
  dacrun --version

Run `dacrun <command> --help` for the options of a command.
Exit codes: 0 success, 1 a stage or run failed, 2 bad input or usage.
)";

int dispatch(const dac::cli::Args& args, const std::string& command_line) {
  using namespace dac::cli;
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? dac::kExitUserError : dac::kExitOk;
  }
  if (args[0] == "--version") {
    const auto& build = dac::build_info();
    std::cout << "dacrun " << build.version << " (commit " << build.git_commit << ", torch "
              << build.torch_version << ", " << build.compiler << ")\n";
    return dac::kExitOk;
  }
  const Args rest(args.begin() + 1, args.end());
  if (args[0] == "run") return run_command(rest, command_line);
  if (args[0] == "plugins") return plugins_command(rest);
  if (args[0] == "dump-config") return dump_config_command(rest);
  if (args[0] == "bench") return bench_command(rest);
  if (args[0] == "tokenize") return tokenize_command(rest);
  if (args[0] == "extract") return extract_command(rest);
  if (args[0] == "eval-extract") return eval_extract_command(rest);
  if (args[0] == "segment") return segment_command(rest);
  if (args[0] == "eval-parser") return eval_parser_command(rest);
  if (args[0] == "train-parser") return train_parser_command(rest);
  if (args[0] == "parse") return parse_command(rest);
  if (args[0] == "glue") return glue_command(rest);
  if (args[0] == "probe") return probe_command(rest);
  if (args[0].ends_with(".toml")) return run_command(args, command_line);
  const std::vector<std::string> commands = {
      "run",     "plugins",     "dump-config",  "bench", "tokenize", "extract", "eval-extract",
      "segment", "eval-parser", "train-parser", "parse", "glue",     "probe"};
  throw dac::UserError("unknown command '" + args[0] + "'" + dac::did_you_mean(args[0], commands) +
                       ". Run `dacrun --help` for the commands; to run an experiment, name its "
                       ".toml file.");
}

}  // namespace

int main(int argc, char** argv) {
  dac::keep_freed_memory_for_reuse();
  dac::cli::Args args(argv + 1, argv + argc);
  std::string command_line = "dacrun";
  for (const auto& arg : args) command_line += " " + arg;
  try {
    return dispatch(args, command_line);
  } catch (const dac::UserError& error) {
    std::cerr << "dacrun: error: " << error.what() << "\n";
    return dac::kExitUserError;
  } catch (const boost::program_options::error& error) {
    std::cerr << "dacrun: error: " << error.what() << ". Run `dacrun "
              << (args.empty() ? "" : args[0] + " ") << "--help` for the options.\n";
    return dac::kExitUserError;
  } catch (const std::exception& error) {
    std::cerr << "dacrun: failed: " << error.what() << "\n";
    return dac::kExitFailure;
  }
}
