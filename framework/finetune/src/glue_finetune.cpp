// The fine-tuning loop of one task and seed, and its result with every dev prediction.
#include "dac/finetune/glue_finetune.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>

#include "dac/error.hpp"
#include "dac/finetune/sequence_classifier.hpp"
#include "dac/kinds/glue_task.hpp"
#include "dac/model/agreement_chunks.hpp"
#include "dac/schedules.hpp"
#include "dac/train/agreement_extras.hpp"
#include "dac/train/gradient_step.hpp"

namespace dac::finetune {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Predictions for every example of a dev set, in its order.
std::vector<double> predict_dev(SequenceClassifier& classifier, const DevSet& dev,
                                const FinetuneSettings& settings, std::int32_t pad_id,
                                const train::Compute& compute, const BatchExtras& extras) {
  std::vector<double> predictions(dev.encoded.size(), 0.0);
  classifier.eval();
  {
    c10::InferenceMode inference;
    for (const auto& indices :
         length_bucketed_batches(dev.encoded, settings.eval_batch_size, /*shuffle=*/nullptr)) {
      Batch batch = collate(dev.encoded, indices, pad_id, classifier.regression());
      if (extras) extras(dev.split, indices, batch);
      const Batch on_device = batch.to(compute.device);
      std::vector<double> values;
      {
        train::AutocastGuard autocast(compute);
        values = classifier.predict(on_device);
      }
      for (std::size_t row = 0; row < indices.size(); ++row)
        predictions[indices[row]] = values[row];
    }
  }
  classifier.train();
  return predictions;
}

}  // namespace

std::vector<glue::GlueRunResult> finetune_run(const PretrainedModel& model, PluginHost& plugins,
                                              const FinetuneTask& task,
                                              const FinetuneSettings& settings,
                                              const train::Compute& compute,
                                              const FinetuneHooks& hooks) {
  if (task.task == nullptr) throw UserError("fine-tuning needs a task");
  if (task.train.empty()) throw UserError(task.label + ": no training examples");
  if (task.dev.empty()) throw UserError(task.label + ": no dev split to score");
  for (const DevSet& dev : task.dev)
    if (dev.encoded.empty()) throw UserError(task.label + ": no " + dev.split + " examples");
  const auto start = Clock::now();
  auto log = [&](const std::string& line) {
    if (hooks.log) hooks.log(line);
  };

  std::shared_ptr<Encoder> encoder = load_pretrained_encoder(model, plugins);
  // Seeded after loading (the checkpoint restores the pretraining run's random state).
  torch::manual_seed(settings.seed);
  std::mt19937_64 shuffle(settings.seed);
  encoder->set_dropout_enabled(settings.encoder_dropout);
  const int labels = task.task->num_labels();
  auto classifier = std::make_shared<SequenceClassifier>(encoder, labels, settings.head_width,
                                                         settings.head_dropout);
  classifier->to(compute.device);
  classifier->train();
  train::AdamW optimizer(
      train::recipe_parameter_groups(*classifier, settings.optimizer.weight_decay),
      settings.optimizer.adam);
  train::LocalGradients reducer;
  const std::int32_t pad_id = task.pad_id;
  const auto multiplier =
      settings.lr_multiplier
          ? settings.lr_multiplier
          : std::function<double(double)>([](double t) { return cosine_multiplier(t, 0.1); });

  const std::size_t batches_per_epoch =
      (task.train.size() + settings.batch_size - 1) / settings.batch_size;
  const auto total_steps = static_cast<std::int64_t>(batches_per_epoch) * settings.epochs;
  const std::string headline = task.task->metric_names().front();
  std::vector<glue::GlueRunResult> results(task.dev.size());
  std::vector<std::vector<double>> predictions(task.dev.size());
  std::int64_t step = 0;
  std::int64_t skipped = 0;
  double train_seconds = 0, eval_seconds = 0;
  std::size_t evaluated = 0;
  for (int epoch = 1; epoch <= settings.epochs; ++epoch) {
    const auto epoch_start = Clock::now();
    double loss_sum = 0;
    std::size_t loss_count = 0;
    for (const auto& indices : length_bucketed_batches(task.train, settings.batch_size, &shuffle)) {
      Batch batch = collate(task.train, indices, pad_id, classifier->regression());
      if (hooks.extras) hooks.extras("train", indices, batch);
      const double progress = static_cast<double>(step) / static_cast<double>(total_steps);
      const train::StepResult outcome =
          train::gradient_step({batch}, [&](const Batch& micro) { return classifier->loss(micro); },
                               optimizer, reducer, compute,
                               {.lr = settings.learning_rate * multiplier(progress),
                                .clip_norm = settings.optimizer.clip_norm});
      if (outcome.applied) {
        loss_sum += outcome.loss;
        ++loss_count;
      } else {
        ++skipped;
      }
      ++step;
      if (hooks.progress) hooks.progress(step, total_steps);
    }
    train_seconds += seconds_since(epoch_start);
    const double train_loss = loss_count > 0 ? loss_sum / static_cast<double>(loss_count) : 0.0;
    for (std::size_t d = 0; d < task.dev.size(); ++d) {
      const DevSet& dev = task.dev[d];
      const auto eval_start = Clock::now();
      predictions[d] = predict_dev(*classifier, dev, settings, pad_id, compute, hooks.extras);
      eval_seconds += seconds_since(eval_start);
      evaluated += dev.encoded.size();
      results[d].metrics = task.task->score(predictions[d], dev.examples);
      const double score = results[d].metrics.at(headline);
      results[d].curve.push_back({.epoch = epoch, .train_loss = train_loss, .dev_score = score});
      log(fmt::format("{} seed {} epoch {}/{}: train loss {:.4f}, {} {} {:.2f}", task.label,
                      settings.seed, epoch, settings.epochs, train_loss, dev.split, headline,
                      score));
    }
  }

  if (settings.zero_agreement_types)
    for (const std::string& type : train::agreement_types_read_by(*encoder)) {
      // The dev batches without this type's chunks: its agreement embedding is zero.
      const BatchExtras without_type = [&](const std::string& split,
                                           const std::vector<std::size_t>& indices, Batch& batch) {
        if (hooks.extras) hooks.extras(split, indices, batch);
        batch.extras.erase(model::agreement_extra_name(type));
      };
      for (std::size_t d = 0; d < task.dev.size(); ++d) {
        const DevSet& dev = task.dev[d];
        const double score =
            task.task
                ->score(predict_dev(*classifier, dev, settings, pad_id, compute, without_type),
                        dev.examples)
                .at(headline);
        results[d].zeroed[type] = score;
        log(fmt::format("{} seed {}: {} {} {:.2f} with agreement type {} zeroed", task.label,
                        settings.seed, dev.split, headline, score, type));
      }
    }

  ConfigNode record = ConfigNode::table();
  record.set("epochs", ConfigNode::integer(settings.epochs));
  record.set("batch_size", ConfigNode::integer(static_cast<std::int64_t>(settings.batch_size)));
  record.set("learning_rate", ConfigNode::real(settings.learning_rate));
  record.set("weight_decay", ConfigNode::real(settings.optimizer.weight_decay));
  record.set("max_length", ConfigNode::integer(static_cast<std::int64_t>(settings.max_length)));
  if (settings.zero_agreement_types) record.set("zero_agreement_types", ConfigNode::boolean(true));
  record.set("steps", ConfigNode::integer(step));
  record.set("skipped_steps", ConfigNode::integer(skipped));
  record.set("train_examples", ConfigNode::integer(static_cast<std::int64_t>(task.train.size())));
  record.set("train_examples_per_s",
             ConfigNode::real(static_cast<double>(task.train.size()) * settings.epochs /
                              std::max(1e-9, train_seconds)));
  record.set("eval_examples_per_s",
             ConfigNode::real(static_cast<double>(evaluated) / std::max(1e-9, eval_seconds)));
  record.set("seconds", ConfigNode::real(seconds_since(start)));
  record.set("compute", compute.describe());
  for (std::size_t d = 0; d < task.dev.size(); ++d) {
    glue::GlueRunResult& result = results[d];
    result.model = model.label;
    result.task = task.label;
    result.split = task.dev[d].split;
    result.headline = headline;
    result.finetune_seed = static_cast<std::int64_t>(settings.seed);
    if (const ConfigNode* seed = model.pretraining.find("seed"); seed && seed->is_number())
      result.pretrain_seed = seed->as_int();
    result.predictions = predictions[d];
    for (const EncodedExample& example : task.dev[d].encoded) result.gold.push_back(example.label);
    result.pretraining = model.pretraining;
    result.finetuning = record;
    result.finetuning.set(
        "dev_examples", ConfigNode::integer(static_cast<std::int64_t>(task.dev[d].encoded.size())));
  }
  return results;
}

}  // namespace dac::finetune
