// The train_parser stage.
#include "train_parser_stage.hpp"

#include <fmt/format.h>

#include <thread>

#include "dac/error.hpp"
#include "dac/parser/parser_training.hpp"

namespace dac::plugins {

namespace {

namespace fs = std::filesystem;

class TrainParserStage : public Stage {
 public:
  explicit TrainParserStage(const Options& options) : options_(options) {}

  ConfigNode run(StageContext& ctx) override {
    const fs::path train_path = treebank(ctx, "train");
    const fs::path dev_path = treebank(ctx, "dev");
    parser::ParserTrainingOptions training;
    training.preset = options_.string("preset");
    training.config = parser::parser_config_from(training.preset, options_.node("settings"),
                                                 options_.key_path("settings"));
    training.threads = static_cast<unsigned>(options_.integer("threads"));
    if (training.threads == 0) training.threads = std::max(1u, std::thread::hardware_concurrency());
    training.train_source = train_path.string();
    training.dev_source = dev_path.string();
    training.log = [&](const std::string& line) { ctx.log().info(line); };

    const auto train = parser::read_training_treebank(train_path);
    const auto dev = parser::read_training_treebank(dev_path);
    const auto report = parser::train_parser(train, dev, training, ctx.dir() / "parser.model");

    ConfigNode result = ConfigNode::table();
    result.set("model", ConfigNode::string((ctx.dir() / "parser.model").string()));
    result.set("best_epoch", ConfigNode::integer(report.best.epoch));
    result.set("epochs", ConfigNode::integer(static_cast<std::int64_t>(report.epochs.size())));
    result.set("dev_upos", ConfigNode::real(report.best.upos));
    result.set("dev_uas", ConfigNode::real(report.best.uas));
    result.set("dev_las", ConfigNode::real(report.best.las));
    result.set("train_sentences", ConfigNode::integer(static_cast<std::int64_t>(train.size())));
    result.set("seconds", ConfigNode::real(report.seconds));
    return result;
  }

 private:
  // The configured treebank, or the input stage's `<split>.conllu`.
  fs::path treebank(StageContext& ctx, const std::string& split) const {
    if (!options_.string(split).empty()) return resolve_config_path(options_.node(split));
    for (const StageInput& input : ctx.inputs())
      if (fs::exists(input.dir / (split + ".conllu"))) return input.dir / (split + ".conllu");
    options_.fail(split, "no " + split +
                             " treebank: give a CoNLL-U path, or list a stage that writes " +
                             split + ".conllu (e.g. synthetic_treebank) in `inputs`");
  }

  Options options_;
};

}  // namespace

PluginSpec train_parser_spec() {
  ConfigSchema schema;
  schema.string("train", "", "CoNLL-U training treebank; empty: an input stage's train.conllu")
      .string("dev", "", "CoNLL-U development treebank; empty: an input stage's dev.conllu")
      .string("preset", "accurate", "accurate (a 3x300 BiLSTM) or fast (a 1x128 BiLSTM)")
      .choices(parser::parser_preset_names())
      .table("settings", parser::parser_config_schema(),
             "overrides of the preset's settings (see `dacrun train-parser --help`)")
      .integer("threads", 0, "CPU threads; 0: all cores")
      .min(0);
  return PluginSpec{.name = "train_parser",
                    .version = "1",
                    .summary = "trains the built-in tagger and dependency parser on a treebank",
                    .schema = schema};
}

std::unique_ptr<Stage> make_train_parser(const Options& options) {
  return std::make_unique<TrainParserStage>(options);
}

}  // namespace dac::plugins
