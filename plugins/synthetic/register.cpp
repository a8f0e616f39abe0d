// Entry point of the dac_synthetic library: the synthetic_agreement corpus (generated English-like
// text with controlled agreement), the synthetic_stats stage (its distribution statistics) and
// the synthetic_tasks stage (acceptability, minimal pairs and sentence pairs made from it).
#include <chrono>
#include <fstream>
#include <iterator>
#include <memory>

#include "dac/experiment.hpp"
#include "dac/kinds/corpus.hpp"
#include "dac/kinds/stage.hpp"
#include "dac/plugin.hpp"
#include "dac/records.hpp"
#include "generator.hpp"
#include "stats.hpp"
#include "tasks.hpp"
#include "treebank.hpp"

namespace dac::synthetic {

namespace {

// The keys both plugins share: the seed and the grammar files.
ConfigSchema generator_schema() {
  return ConfigSchema()
      .integer("seed", 0, "seed of the generator: the same seed gives the same text everywhere")
      .min(0)
      .integer("sentences_per_document", 8, "sentences in each document")
      .min(1)
      .max(1000000)
      .string("grammar", "",
              "grammar file, relative to the config file; empty: the built-in "
              "configs/grammar/english.toml")
      .string("lexicon", "",
              "lexicon file, relative to the config file; empty: the built-in "
              "configs/grammar/lexicon.toml");
}

std::filesystem::path file_or_default(const Options& options, std::string_view key,
                                      const char* built_in) {
  if (options.string(key).empty()) return default_grammar_dir() / built_in;
  return resolve_config_path(options.node(key));
}

std::shared_ptr<const SyntheticGenerator> make_generator(const Options& options) {
  return std::make_shared<const SyntheticGenerator>(
      load_grammar(file_or_default(options, "grammar", "english.toml"),
                   file_or_default(options, "lexicon", "lexicon.toml")),
      static_cast<std::uint64_t>(options.integer("seed")));
}

class SyntheticAgreementCorpus : public Corpus {
 public:
  explicit SyntheticAgreementCorpus(const Options& options)
      : generator_(make_generator(options)),
        documents_(static_cast<std::uint32_t>(options.integer("documents"))),
        sentences_(static_cast<std::uint32_t>(options.integer("sentences_per_document"))) {}

  void read(const std::function<bool(Document&&)>& sink) override {
    bytes_ = 0;
    for (std::uint32_t d = 0; d < documents_; ++d) {
      Document document{"synthetic#" + std::to_string(d), generator_->document_text(d, sentences_)};
      bytes_ += document.text.size();
      if (!sink(std::move(document))) break;
    }
  }

  std::string describe() const override {
    return "synthetic agreement: " + std::to_string(documents_) + " documents of " +
           std::to_string(sentences_) + " sentences, seed " + std::to_string(generator_->seed());
  }

  std::uint64_t size_hint_bytes() const override {
    constexpr std::uint64_t kBytesPerSentence = 55;
    return std::uint64_t{documents_} * sentences_ * kBytesPerSentence;
  }

  std::vector<std::pair<std::string, std::uint64_t>> statistics() const override {
    return {{"documents", documents_}, {"bytes", bytes_}};
  }

 private:
  std::shared_ptr<const SyntheticGenerator> generator_;
  std::uint32_t documents_;
  std::uint32_t sentences_;
  std::uint64_t bytes_ = 0;
};

class SyntheticStatsStage : public Stage {
 public:
  explicit SyntheticStatsStage(const Options& options)
      : generator_(make_generator(options)),
        sentences_(static_cast<std::uint64_t>(options.integer("sentences"))),
        per_document_(static_cast<std::uint32_t>(options.integer("sentences_per_document"))) {}

  ConfigNode run(StageContext& ctx) override {
    const auto start = std::chrono::steady_clock::now();
    const SyntheticStats stats = generate_stats(*generator_, sentences_, per_document_);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ConfigNode table = stats_table(stats);
    std::ofstream(ctx.dir() / "stats.toml") << to_toml(table);
    const double rate = seconds > 0 ? static_cast<double>(sentences_) / seconds : 0;
    ctx.log().info(std::to_string(sentences_) + " sentences generated and measured in " +
                   format_number(seconds) + " s (" + format_number(rate) + " sentences/s)");
    table.set("sentences_per_second", ConfigNode::real(rate));
    return table;
  }

 private:
  std::shared_ptr<const SyntheticGenerator> generator_;
  std::uint64_t sentences_;
  std::uint32_t per_document_;
};

class SyntheticTasksStage : public Stage {
 public:
  explicit SyntheticTasksStage(const Options& options)
      : generator_(make_generator(options)),
        options_{.examples = static_cast<std::uint64_t>(options.integer("examples")),
                 .split_seed = static_cast<std::uint64_t>(options.integer("split_seed")),
                 .dev_fraction = options.real("dev_fraction"),
                 .sentences_per_document =
                     static_cast<std::uint32_t>(options.integer("sentences_per_document"))} {}

  ConfigNode run(StageContext& ctx) override {
    const TaskCounts counts = write_tasks(make_tasks(*generator_, options_), ctx.dir());
    ConfigNode table = ConfigNode::table();
    const auto count = [](std::uint64_t n) {
      return ConfigNode::integer(static_cast<std::int64_t>(n));
    };
    table.set("acceptability_train", count(counts.acceptability_train));
    table.set("acceptability_dev", count(counts.acceptability_dev));
    table.set("pairs_train", count(counts.pairs_train));
    table.set("pairs_dev", count(counts.pairs_dev));
    table.set("pairs_identical", count(counts.pairs_identical));
    table.set("pairs_paraphrase", count(counts.pairs_paraphrase));
    table.set("pairs_number", count(counts.pairs_number));
    table.set("pairs_role_swap", count(counts.pairs_role_swap));
    table.set("minimal_pairs", count(counts.minimal_pairs));
    ctx.log().info(std::to_string(counts.acceptability_train + counts.acceptability_dev) +
                   " acceptability examples, " +
                   std::to_string(counts.pairs_train + counts.pairs_dev) + " sentence pairs, " +
                   std::to_string(counts.minimal_pairs) + " minimal pairs written");
    return table;
  }

 private:
  std::shared_ptr<const SyntheticGenerator> generator_;
  TaskOptions options_;
};

class SyntheticTreebankStage : public Stage {
 public:
  explicit SyntheticTreebankStage(const Options& options)
      : generator_(make_generator(options)),
        train_(static_cast<std::uint64_t>(options.integer("train_sentences"))),
        dev_(static_cast<std::uint64_t>(options.integer("dev_sentences"))),
        per_document_(static_cast<std::uint32_t>(options.integer("sentences_per_document"))) {}

  ConfigNode run(StageContext& ctx) override {
    // Documents far beyond any corpus's, so the treebank is not text a corpus also yields.
    constexpr std::uint32_t kTrainDocuments = 3000000000u, kDevDocuments = 4000000000u;
    const auto train_words = write_treebank(*generator_, ctx.dir() / "train.conllu",
                                            kTrainDocuments, train_, per_document_);
    const auto dev_words =
        write_treebank(*generator_, ctx.dir() / "dev.conllu", kDevDocuments, dev_, per_document_);
    ctx.log().info("treebank: " + std::to_string(train_) + " training sentences (" +
                   std::to_string(train_words) + " words), " + std::to_string(dev_) +
                   " dev sentences");
    ConfigNode table = ConfigNode::table();
    table.set("train_sentences", ConfigNode::integer(static_cast<std::int64_t>(train_)));
    table.set("train_words", ConfigNode::integer(static_cast<std::int64_t>(train_words)));
    table.set("dev_sentences", ConfigNode::integer(static_cast<std::int64_t>(dev_)));
    table.set("dev_words", ConfigNode::integer(static_cast<std::int64_t>(dev_words)));
    return table;
  }

 private:
  std::shared_ptr<const SyntheticGenerator> generator_;
  std::uint64_t train_, dev_;
  std::uint32_t per_document_;
};

// The plugins' version: the code's, plus a hash of the built-in grammar and lexicon, so that
// editing those files changes the hash of every stage that uses them and finished stages are not
// reused.
std::string version_with_grammar() {
  std::string contents;
  for (const char* file : {"english.toml", "lexicon.toml"}) {
    std::ifstream in(default_grammar_dir() / file, std::ios::binary);
    contents.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return "1+grammar." + content_hash(contents).substr(0, 10);
}

void register_synthetic_plugins(PluginRegistrar& registrar) {
  const std::string version = version_with_grammar();
  registrar.add<Corpus>(
      {.name = "synthetic_agreement",
       .version = version,
       .summary = "generated English-like text with controlled agreement and attractors (no "
                  "download; every document a pure function of the seed)",
       .schema = generator_schema()
                     .integer("documents", 2000, "number of documents")
                     .min(1)
                     .max(4294967295.0)},
      [](const Options& options) { return std::make_unique<SyntheticAgreementCorpus>(options); });
  registrar.add<Stage>(
      {.name = "synthetic_stats",
       .version = version,
       .summary = "statistics of the synthetic corpus from its gold trees: sentence lengths, "
                  "agreements per 1000 words, attractor distances (stats.toml)",
       .schema = generator_schema()
                     .integer("sentences", 100000, "number of sentences to generate and measure")
                     .min(1)},
      [](const Options& options) { return std::make_unique<SyntheticStatsStage>(options); });
  registrar.add<Stage>(
      {.name = "synthetic_tasks",
       .version = version,
       .summary = "agreement tasks from the synthetic corpus's gold trees: acceptability "
                  "(acceptability/{train,dev}.tsv, CoLA layout), sentence pairs (pairs/"
                  "{train,dev}.tsv, RTE layout) and BLiMP-style minimal_pairs.jsonl",
       .schema = generator_schema()
                     .integer("examples", 2000, "examples of each task")
                     .min(1)
                     .integer("split_seed", 0, "seed of the example order and the dev split")
                     .min(0)
                     .real("dev_fraction", 0.1, "share of the examples that go to dev")
                     .min(0)
                     .max(1)},
      [](const Options& options) { return std::make_unique<SyntheticTasksStage>(options); });
  registrar.add<Stage>(
      {.name = "synthetic_treebank",
       .version = version,
       .summary = "gold CoNLL-U treebanks from the generator (train.conllu, dev.conllu), e.g. "
                  "to train the built-in parser",
       .schema = generator_schema()
                     .integer("train_sentences", 4000, "sentences in train.conllu")
                     .min(1)
                     .integer("dev_sentences", 500, "sentences in dev.conllu")
                     .min(1)},
      [](const Options& options) { return std::make_unique<SyntheticTreebankStage>(options); });
}

}  // namespace

}  // namespace dac::synthetic

DAC_PLUGIN_ENTRY(dac::synthetic::register_synthetic_plugins)
