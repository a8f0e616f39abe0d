// `dacrun train-parser`: trains the built-in tagger and dependency parser on a CoNLL-U treebank
// and writes the model of the epoch with the best dev LAS.
#include <iostream>
#include <thread>

#include "cli.hpp"
#include "dac/error.hpp"
#include "dac/parser/parser_training.hpp"

namespace dac::cli {

namespace {

constexpr const char* kTrainParserUsage =
    "usage: dacrun train-parser --train FILE --dev FILE --out MODEL [--preset accurate|fast]\n"
    "                           [--set key=value]... [--threads N]\n"
    "Trains a UPOS tagger and dependency parser (a BiLSTM with biaffine scoring) on a CoNLL-U\n"
    "treebank, scores it on the dev treebank after every epoch (gold tokenisation), and keeps the\n"
    "best epoch's model in MODEL (one file with its settings, vocabularies and format version).\n"
    "--set overrides a preset setting, e.g. --set epochs=10 --set lstm_hidden=200; the settings\n"
    "are listed by `dacrun train-parser --help`.";

std::string settings_help() {
  std::string help = "settings (--set key=value):\n";
  const ConfigSchema schema = parser::parser_config_schema();  // outlives the loop over its keys
  for (const auto& key : schema.keys())
    help += "  " + key.name + ": " + key.help + "\n";
  return help;
}

}  // namespace

int train_parser_command(const Args& args) {
  po::options_description options("options");
  options.add_options()("train", po::value<std::string>()->required(), "CoNLL-U training treebank")(
      "dev", po::value<std::string>()->required(), "CoNLL-U development treebank")(
      "out", po::value<std::string>()->required(), "model file to write")(
      "preset", po::value<std::string>()->default_value("accurate"), "accurate or fast")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override one setting of the preset (repeatable)")(
      "threads", po::value<unsigned>()->default_value(0), "CPU threads (0: all cores)");
  po::variables_map values;
  if (!parse_arguments(args, options, {}, values,
                       std::string(kTrainParserUsage) + "\n" + settings_help()))
    return kExitOk;

  const std::string preset = values["preset"].as<std::string>();
  parser::ParserTrainingOptions training;
  training.config = parser::parser_config_from(preset, set_assignments(values), "--set");
  training.preset = preset;
  training.threads = values["threads"].as<unsigned>();
  if (training.threads == 0) training.threads = std::max(1u, std::thread::hardware_concurrency());
  training.train_source = values["train"].as<std::string>();
  training.dev_source = values["dev"].as<std::string>();
  training.log = [](const std::string& line) { std::cerr << "train-parser: " << line << "\n"; };

  const auto train = parser::read_training_treebank(training.train_source);
  const auto dev = parser::read_training_treebank(training.dev_source);
  const auto report = parser::train_parser(train, dev, training, values["out"].as<std::string>());
  std::cout << "best epoch " << report.best.epoch << " of " << report.epochs.size() << ": dev UPOS "
            << report.best.upos << "  UAS " << report.best.uas << "  LAS " << report.best.las
            << "  (" << static_cast<long>(report.seconds) << " s)\n"
            << "model: " << values["out"].as<std::string>() << "\n";
  return kExitOk;
}

}  // namespace dac::cli
