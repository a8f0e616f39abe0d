// Test plugin library: stages whose behaviour the runner tests observe (how often they ran,
// resuming from a checkpoint, failing on request), a stage that reads a config section, and an
// agreement extractor.
#include <fstream>
#include <stdexcept>

#include "dac/kinds/agreement_extractor.hpp"
#include "dac/kinds/stage.hpp"
#include "dac/plugin.hpp"

namespace {

namespace fs = std::filesystem;

int read_int(const fs::path& path, int fallback) {
  std::ifstream in(path);
  int value = fallback;
  in >> value;
  return in ? value : fallback;
}

// Counts `steps` steps, checkpointing each in progress.txt; throws at step `fail_at` the first
// time (a marker file remembers that it failed once). Appends one line per execution to
// executions.log.
class CountingStage : public dac::Stage {
 public:
  explicit CountingStage(const dac::Options& options)
      : steps_(options.integer("steps")),
        fail_at_(options.integer("fail_at")),
        label_(options.string("label")) {}

  dac::ConfigNode run(dac::StageContext& ctx) override {
    std::ofstream(ctx.dir() / "executions.log", std::ios::app)
        << (ctx.resuming() ? "resume" : "fresh") << "\n";
    int start = ctx.resuming() ? read_int(ctx.dir() / "progress.txt", 0) : 0;
    int input_sum = 0;
    for (const auto& input : ctx.inputs())
      input_sum += static_cast<int>(input.result.find("total")->as_int());
    dac::Progress progress(ctx.log(), "counting", static_cast<std::uint64_t>(steps_), "steps", 0);
    progress.set(static_cast<std::uint64_t>(start));
    for (int step = start; step < steps_; ++step) {
      if (step == fail_at_ && !fs::exists(ctx.dir() / "failed_once")) {
        std::ofstream(ctx.dir() / "failed_once") << step;
        throw std::runtime_error("counting stopped on purpose at step " + std::to_string(step));
      }
      std::ofstream(ctx.dir() / "progress.txt") << step + 1;
      progress.advance();
    }
    dac::ConfigNode values = dac::ConfigNode::table();
    values.set("steps", dac::ConfigNode::integer(steps_));
    ctx.log().metrics(steps_, values);
    dac::ConfigNode result = dac::ConfigNode::table();
    result.set("total", dac::ConfigNode::integer(steps_ + input_sum));
    result.set("resumed_from", dac::ConfigNode::integer(start));
    result.set("label", dac::ConfigNode::string(label_));
    return result;
  }

 private:
  std::int64_t steps_;
  std::int64_t fail_at_;
  std::string label_;
};

// Reads the [train] section it declares and reports it.
class SectionReader : public dac::Stage {
 public:
  dac::ConfigNode run(dac::StageContext& ctx) override {
    const dac::Options& train = ctx.section("train");
    dac::ConfigNode result = dac::ConfigNode::table();
    result.set("lr", dac::ConfigNode::real(train.real("lr")));
    result.set("seed", dac::ConfigNode::integer(static_cast<std::int64_t>(ctx.seed())));
    return result;
  }
};

// determiner -> noun: every word with deprel "det" and its head.
class DeterminerNoun : public dac::AgreementExtractor {
 public:
  std::string_view type() const override { return "test_determiner_noun"; }
  std::vector<dac::Chunk> extract(const dac::Sentence& sentence) const override {
    std::vector<dac::Chunk> chunks;
    for (int i = 0; i < static_cast<int>(sentence.words.size()); ++i) {
      const dac::Word& word = sentence.words[i];
      if (word.deprel == "det" && word.head >= 0)
        chunks.push_back({{std::min(i, word.head), std::max(i, word.head)}, word.head, i});
    }
    return chunks;
  }
};

void register_test_stages(dac::PluginRegistrar& registrar) {
  registrar.add<dac::Stage>(
      {.name = "counting",
       .version = "1",
       .summary = "counts steps with a checkpoint; can fail once on purpose",
       .schema = dac::ConfigSchema()
                     .integer("steps", 5, "steps to count")
                     .min(0)
                     .integer("fail_at", -1, "fail the first time this step is reached")
                     .string("label", "", "free text copied to the result")},
      [](const dac::Options& options) { return std::make_unique<CountingStage>(options); });
  registrar.add<dac::Stage>({.name = "section_reader",
                             .version = "1",
                             .summary = "reports values from the [train] section",
                             .schema = dac::ConfigSchema(),
                             .config_sections = {{"train",
                                                  dac::ConfigSchema()
                                                      .real("lr", 1e-3, "peak learning rate")
                                                      .integer("steps", 100, "training steps"),
                                                  "training recipe"}}},
                            [](const dac::Options&) { return std::make_unique<SectionReader>(); });
  registrar.add<dac::AgreementExtractor>(
      {.name = "test_determiner_noun", .version = "1", .summary = "det -> head noun"},
      [](const dac::Options&) { return std::make_unique<DeterminerNoun>(); });
}

}  // namespace

DAC_PLUGIN_ENTRY(register_test_stages)
