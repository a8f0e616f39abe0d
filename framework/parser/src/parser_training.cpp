// The parser's training loop: Adam over length-bucketed batches in shuffled order, the summed
// UPOS, arc and relation cross-entropies, dev scoring after every epoch, the best model kept.
#include "dac/parser/parser_training.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

#include "dac/cpu_runtime.hpp"
#include "dac/error.hpp"
#include "dac/syntax/conllu.hpp"
#include "dac/syntax/ud_evaluation.hpp"
#include "parser_batch.hpp"
#include "parser_model.hpp"

namespace dac::parser {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The summed cross-entropies of one batch (targets -1 ignored).
torch::Tensor batch_loss(ParserNetwork& network, const ParserBatch& batch) {
  const ParserScores scores = network->forward(batch);
  const torch::Tensor tag_loss = torch::nn::functional::cross_entropy(
      scores.upos.flatten(0, 1), batch.upos.flatten(),
      torch::nn::functional::CrossEntropyFuncOptions().ignore_index(-1));
  // Heads: a softmax over the real nodes of the sentence, never the word itself.
  const auto width = scores.arcs.size(1);
  const torch::Tensor node = torch::arange(width, batch.lengths.options());
  const torch::Tensor invalid_head = node.view({1, 1, width}).ge(batch.lengths.view({-1, 1, 1})) |
                                     torch::eye(width, torch::kBool).unsqueeze(0);
  const torch::Tensor arcs = scores.arcs.masked_fill(invalid_head, -1e9);
  const torch::Tensor arc_loss = torch::nn::functional::cross_entropy(
      arcs.flatten(0, 1), batch.heads.flatten(),
      torch::nn::functional::CrossEntropyFuncOptions().ignore_index(-1));
  const torch::Tensor relations = network->relation_scores(scores, batch.heads);
  const torch::Tensor relation_loss = torch::nn::functional::cross_entropy(
      relations.flatten(0, 1), batch.relations.flatten(),
      torch::nn::functional::CrossEntropyFuncOptions().ignore_index(-1));
  return tag_loss + arc_loss + relation_loss;
}

// Replaces words by the unknown word with probability p (the root and padding are kept).
void drop_words(ParserBatch& batch, double p, torch::Generator& generator) {
  if (p <= 0) return;
  const torch::Tensor drop = torch::rand(batch.words.sizes(), generator).lt(p) & batch.mask;
  batch.words = batch.words.masked_fill(drop, ParserVocab::kUnknown);
}

// Copies of the dev sentences with the model's annotation, scored against the gold.
syntax::UdEvaluation score_on(ParserModel& model, const std::vector<Sentence>& dev,
                              std::size_t batch_words) {
  std::vector<Sentence> predicted = dev;
  std::vector<const Sentence*> inputs;
  for (const Sentence& sentence : predicted) inputs.push_back(&sentence);
  model.network->eval();
  {
    c10::InferenceMode inference;
    for (const auto& batch : length_batches(inputs, batch_words)) {
      std::vector<Sentence*> sentences;
      for (std::size_t index : batch) sentences.push_back(&predicted[index]);
      predict(model, sentences);
    }
  }
  model.network->train();
  return syntax::evaluate_ud(dev, predicted);
}

}  // namespace

std::vector<Sentence> read_training_treebank(const std::filesystem::path& path) {
  std::vector<Sentence> sentences = read_conllu_file(path);
  if (sentences.empty()) throw UserError(path.string() + ": no sentences");
  return sentences;  // the reader has checked every tree, naming file and line
}

ParserTrainingReport train_parser(const std::vector<Sentence>& train,
                                  const std::vector<Sentence>& dev,
                                  const ParserTrainingOptions& options,
                                  const std::filesystem::path& out) {
  const auto start = Clock::now();
  auto log = [&](const std::string& line) {
    if (options.log) options.log(line);
  };
  const ParserConfig& config = options.config;
  set_cpu_threads(static_cast<int>(std::max(1u, options.threads)));
  torch::manual_seed(static_cast<std::uint64_t>(config.seed));
  auto generator =
      torch::make_generator<at::CPUGeneratorImpl>(static_cast<std::uint64_t>(config.seed) + 1);
  std::mt19937_64 shuffle(static_cast<std::uint64_t>(config.seed) + 2);

  ParserModel model = new_parser_model(config, ParserVocab::build(train, config));
  model.facts["preset"] = options.preset;
  model.facts["train"] = options.train_source;
  model.facts["dev"] = options.dev_source;
  model.network->train();
  torch::optim::Adam optimizer(
      model.network->parameters(),
      torch::optim::AdamOptions(config.learning_rate).betas({0.9, config.beta2}).eps(1e-12));

  std::vector<const Sentence*> inputs;
  std::size_t train_words = 0;
  for (const Sentence& sentence : train) {
    inputs.push_back(&sentence);
    train_words += sentence.words.size();
  }
  auto batches = length_batches(inputs, static_cast<std::size_t>(config.batch_words));
  log(
      fmt::format("training on {} sentences ({} words), {} batches per epoch; {} words, {} tags, "
                  "{} relations in the vocabulary",
                  train.size(), train_words, batches.size(), model.vocab.word_count(),
                  model.vocab.upos().size(), model.vocab.relations().size()));

  ParserTrainingReport report;
  std::int64_t step = 0;
  for (int epoch = 1; epoch <= config.epochs; ++epoch) {
    const auto epoch_start = Clock::now();
    std::shuffle(batches.begin(), batches.end(), shuffle);
    double loss_sum = 0;
    for (const auto& indices : batches) {
      std::vector<const Sentence*> sentences;
      for (std::size_t index : indices) sentences.push_back(inputs[index]);
      ParserBatch batch = make_batch(sentences, model.vocab, /*gold=*/true);
      drop_words(batch, config.word_dropout, generator);
      // Dozat & Manning's decay: 0.75 every 5000 steps.
      const double lr = config.learning_rate * std::pow(0.75, static_cast<double>(step) / 5000.0);
      for (auto& group : optimizer.param_groups())
        static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
      optimizer.zero_grad();
      const torch::Tensor loss = batch_loss(model.network, batch);
      loss.backward();
      torch::nn::utils::clip_grad_norm_(model.network->parameters(), config.gradient_clip);
      optimizer.step();
      loss_sum += loss.item<double>();
      ++step;
    }
    EpochScores scores;
    scores.epoch = epoch;
    scores.loss = loss_sum / static_cast<double>(std::max<std::size_t>(1, batches.size()));
    scores.train_words_per_second =
        static_cast<double>(train_words) / std::max(1e-9, seconds_since(epoch_start));
    const syntax::UdEvaluation dev_scores =
        score_on(model, dev, static_cast<std::size_t>(config.batch_words));
    scores.upos = 100 * dev_scores.upos.f1();
    scores.uas = 100 * dev_scores.uas.f1();
    scores.las = 100 * dev_scores.las.f1();
    scores.seconds = seconds_since(start);
    report.epochs.push_back(scores);
    const bool best = scores.las > report.best.las || report.best.epoch == 0;
    if (best) {
      report.best = scores;
      model.facts["epoch"] = std::to_string(epoch);
      model.facts["dev_upos"] = fmt::format("{:.2f}", scores.upos);
      model.facts["dev_uas"] = fmt::format("{:.2f}", scores.uas);
      model.facts["dev_las"] = fmt::format("{:.2f}", scores.las);
      save_parser_model(model, out);
    }
    log(
        fmt::format("epoch {:>3}  loss {:.4f}  dev UPOS {:.2f}  UAS {:.2f}  LAS {:.2f}  "
                    "{:.0f} words/s  {:.0f} s{}",
                    epoch, scores.loss, scores.upos, scores.uas, scores.las,
                    scores.train_words_per_second, scores.seconds, best ? "  (best, saved)" : ""));
    if (scores.seconds > config.time_limit_minutes * 60) {
      log(fmt::format("time limit of {} minutes reached", config.time_limit_minutes));
      break;
    }
  }
  report.seconds = seconds_since(start);
  return report;
}

}  // namespace dac::parser
