// The budgeted MLM pretraining loop: each optimizer step takes batch_size(t) / micro_batch
// micro-batches from the loader, at learning rate peak · schedule(t); counters, curves and the
// data position go into every checkpoint, so a resumed run continues exactly where it stopped.
#include "dac/train/pretrainer.hpp"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <stdexcept>

#include "dac/error.hpp"
#include "dac/records.hpp"
#include "dac/text/token_shard.hpp"
#include "dac/train/mlm_batch.hpp"
#include "dac/train/stopwatch.hpp"

namespace dac::train {

namespace fs = std::filesystem;

namespace {

// Validation masks come from their own seed so that they never coincide with a training step's.
constexpr std::uint64_t kValidationSeedOffset = 0x5eed'0000'0001ull;

ConfigNode curve_table(const std::vector<CurvePoint>& curve) {
  ConfigNode steps = ConfigNode::array(), tokens = ConfigNode::array(),
             losses = ConfigNode::array();
  for (const CurvePoint& point : curve) {
    steps.push_back(ConfigNode::integer(point.step));
    tokens.push_back(ConfigNode::integer(point.tokens));
    losses.push_back(ConfigNode::real(point.loss));
  }
  ConfigNode table = ConfigNode::table();
  table.set("step", steps);
  table.set("tokens", tokens);
  table.set("loss", losses);
  return table;
}

std::vector<CurvePoint> curve_from(const ConfigNode* table) {
  std::vector<CurvePoint> curve;
  if (!table || !table->is_table()) return curve;
  const ConfigNode* steps = table->find("step");
  const ConfigNode* tokens = table->find("tokens");
  const ConfigNode* losses = table->find("loss");
  if (!steps || !tokens || !losses) return curve;
  for (std::size_t i = 0; i < steps->items().size(); ++i)
    curve.push_back(
        {steps->items()[i].as_int(), tokens->items()[i].as_int(), losses->items()[i].as_float()});
  return curve;
}

std::string compact(double value) {
  char buffer[32];
  if (value >= 1e6)
    std::snprintf(buffer, sizeof buffer, "%.1fM", value / 1e6);
  else if (value >= 1e3)
    std::snprintf(buffer, sizeof buffer, "%.1fk", value / 1e3);
  else
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
  return buffer;
}

std::string fixed3(const char* prefix, double value) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%s%.3f", prefix, value);
  return buffer;
}

}  // namespace

Pretrainer::Pretrainer(std::shared_ptr<Encoder> encoder, Compute compute, PretrainSettings settings,
                       CheckpointMeta meta, RunLog& log)
    : encoder_(std::move(encoder)),
      compute_(std::move(compute)),
      settings_(std::move(settings)),
      meta_(std::move(meta)),
      log_(log) {
  if (!settings_.lr_multiplier) throw std::invalid_argument("Pretrainer: no lr_multiplier");
  if (settings_.train_shards.empty()) throw UserError("pretraining needs at least one train shard");
  encoder_->to(compute_.device);
  encoder_->set_dropout_enabled(settings_.dropout);
  encoder_->train();
  optimizer_ =
      std::make_unique<AdamW>(recipe_parameter_groups(*encoder_, settings_.optimizer.weight_decay),
                              settings_.optimizer.adam);
  reducer_ = std::make_unique<LocalGradients>();
  if (!settings_.loss)
    settings_.loss = [encoder = encoder_.get()](const Batch& batch) {
      return encoder->mlm_loss(batch);
    };
  if (settings_.extras_for_shards)
    train_extras_ = settings_.extras_for_shards(settings_.train_shards);
  restart_loader();
  seq_len_ = loader_->seq_len();
  if (seq_len_ > encoder_->max_positions())
    throw UserError("the prepared rows have " + std::to_string(seq_len_) +
                    " tokens but the model takes at most " +
                    std::to_string(encoder_->max_positions()) + " positions (max_positions)");
  flops_per_token_ = encoder_->train_flops_per_token(seq_len_, settings_.masking.rate);

  if (!settings_.validation_shards.empty()) {
    text::MlmBatchLoaderOptions options;
    options.shards = settings_.validation_shards;
    options.masking = settings_.masking;
    options.seed = settings_.seed + kValidationSeedOffset;
    options.prefetch_depth = 1;
    std::int64_t rows = 0;  // counted from the headers; the loader below verifies the files
    for (const fs::path& shard : options.shards)
      rows += static_cast<std::int64_t>(
          text::TokenShardReader(shard, text::ChecksumCheck::kSkip).rows());
    if (settings_.validation_rows > 0) rows = std::min(rows, settings_.validation_rows);
    const std::int64_t batch = std::min<std::int64_t>(settings_.ramp.micro_batch, rows);
    if (batch > 0) {
      options.batch_size = static_cast<std::size_t>(batch);
      text::MlmBatchLoader loader(options);
      const MlmBatchExtras extras = settings_.extras_for_shards
                                        ? settings_.extras_for_shards(options.shards)
                                        : MlmBatchExtras();
      for (std::int64_t i = 0; i < rows / batch; ++i) {
        const text::MlmBatch made = loader.next();
        validation_batches_.push_back(to_batch(made, seq_len_));
        if (extras) extras(made, validation_batches_.back());
      }
    }
  }
}

Pretrainer::~Pretrainer() = default;

void Pretrainer::restart_loader() {
  loader_.reset();
  text::MlmBatchLoaderOptions options;
  options.shards = settings_.train_shards;
  options.masking = settings_.masking;
  options.batch_size = static_cast<std::size_t>(settings_.ramp.micro_batch);
  options.order = settings_.order;
  options.seed = settings_.seed;
  options.first_step = counters_.micro_batches;
  loader_ = std::make_unique<text::MlmBatchLoader>(options);
}

fs::path Pretrainer::latest_checkpoint() const {
  return settings_.checkpoint_dir / "latest.ckpt";
}

bool Pretrainer::resume() {
  if (!fs::exists(latest_checkpoint())) return false;
  CheckpointMeta loaded = load_checkpoint(latest_checkpoint(), *encoder_, optimizer_.get());
  counters_ = loaded.counters;
  nonfinite_in_a_row_ = loaded.nonfinite_in_a_row;
  skipped_steps_ = loaded.skipped_steps;
  if (!loaded.extra_toml.empty()) {
    const ConfigNode extra = parse_toml(loaded.extra_toml, latest_checkpoint().string());
    train_curve_ = curve_from(extra.find("train_curve"));
    validation_curve_ = curve_from(extra.find("validation_curve"));
    if (const ConfigNode* open = extra.find("open_interval")) {
      interval_.loss_sum = open->find("loss_sum")->as_float();
      interval_.applied_steps = open->find("applied_steps")->as_int();
      interval_.tokens = open->find("tokens")->as_int();
      if (const ConfigNode* flops = open->find("flops")) interval_.flops = flops->as_float();
      interval_.seconds = open->find("seconds")->as_float();
    }
  }
  restart_loader();
  log_.info("resumed from " + latest_checkpoint().string() + " at step " +
            std::to_string(counters_.steps) + " (" + std::to_string(counters_.tokens) + " tokens)");
  return true;
}

void Pretrainer::write_checkpoint() {
  CheckpointMeta meta = meta_;
  meta.counters = counters_;
  meta.nonfinite_in_a_row = nonfinite_in_a_row_;
  meta.skipped_steps = skipped_steps_;
  ConfigNode extra = ConfigNode::table();
  extra.set("train_curve", curve_table(train_curve_));
  extra.set("validation_curve", curve_table(validation_curve_));
  ConfigNode interval = ConfigNode::table();
  interval.set("loss_sum", ConfigNode::real(interval_.loss_sum));
  interval.set("applied_steps", ConfigNode::integer(interval_.applied_steps));
  interval.set("tokens", ConfigNode::integer(interval_.tokens));
  interval.set("flops", ConfigNode::real(interval_.flops));
  interval.set("seconds", ConfigNode::real(interval_.seconds));
  extra.set("open_interval", interval);
  meta.extra_toml = to_toml(extra);
  fs::create_directories(settings_.checkpoint_dir);
  save_checkpoint(latest_checkpoint(), *encoder_, optimizer_.get(), meta);
}

std::vector<Batch> Pretrainer::next_micro_batches(std::int64_t count) {
  const bool pin = compute_.device.is_cuda();
  std::vector<Batch> batches;
  batches.reserve(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) {
    const text::MlmBatch made = loader_->next();
    batches.push_back(to_batch(made, seq_len_, pin));
    if (train_extras_) train_extras_(made, batches.back());
  }
  return batches;
}

double Pretrainer::validation_loss() {
  if (validation_batches_.empty()) return std::numeric_limits<double>::quiet_NaN();
  torch::NoGradGuard no_grad;
  encoder_->eval();
  double sum = 0;
  {
    AutocastGuard autocast(compute_);
    torch::Tensor total = torch::zeros({}, torch::TensorOptions().device(compute_.device));
    for (const Batch& batch : validation_batches_)
      total += encoder_->mlm_loss(batch.to(compute_.device)).to(torch::kFloat32);
    sum = total.item<double>();
  }
  encoder_->train();
  return sum / static_cast<double>(validation_batches_.size());
}

double Pretrainer::record_validation() {
  const double loss = validation_loss();
  validation_curve_.push_back({counters_.steps, counters_.tokens, loss});
  ConfigNode values = ConfigNode::table();
  values.set("tokens", ConfigNode::integer(counters_.tokens));
  values.set("validation_loss", ConfigNode::real(loss));
  log_.metrics(counters_.steps, values);
  return loss;
}

Pretrainer::IntervalSummary Pretrainer::log_interval(Interval& interval, double lr,
                                                     std::int64_t batch_size, double grad_norm,
                                                     double t) {
  const double loss = interval.applied_steps
                          ? interval.loss_sum / static_cast<double>(interval.applied_steps)
                          : std::numeric_limits<double>::quiet_NaN();
  const double tokens_per_s =
      interval.seconds > 0 ? static_cast<double>(interval.tokens) / interval.seconds : 0;
  const double flops_per_s = interval.seconds > 0 ? interval.flops / interval.seconds : 0;
  ConfigNode values = ConfigNode::table();
  values.set("tokens", ConfigNode::integer(counters_.tokens));
  values.set("flops", ConfigNode::real(counters_.flops));
  values.set("loss", ConfigNode::real(loss));
  values.set("lr", ConfigNode::real(lr));
  values.set("batch_size", ConfigNode::integer(batch_size));
  values.set("grad_norm", ConfigNode::real(grad_norm));
  values.set("tokens_per_s", ConfigNode::real(tokens_per_s));
  values.set("tflops", ConfigNode::real(flops_per_s / 1e12));
  if (compute_.peak_flops > 0)
    values.set("mfu", ConfigNode::real(flops_per_s / compute_.peak_flops));
  values.set("memory_mb",
             ConfigNode::real(static_cast<double>(memory_in_use(compute_)) / (1 << 20)));
  values.set("progress", ConfigNode::real(t));
  values.set("elapsed_s", ConfigNode::real(counters_.elapsed_s));
  values.set("skipped_steps", ConfigNode::integer(skipped_steps_));
  for (const auto& [name, value] : encoder_->monitored_values())
    values.set(name, ConfigNode::real(value));
  log_.metrics(counters_.steps, values);
  if (std::isfinite(loss)) train_curve_.push_back({counters_.steps, counters_.tokens, loss});
  interval = Interval{};
  return {loss, tokens_per_s};
}

void Pretrainer::book_step(const StepResult& result, std::int64_t step) {
  if (result.applied) {
    nonfinite_in_a_row_ = 0;
    interval_.loss_sum += result.loss;
    ++interval_.applied_steps;
    return;
  }
  ++nonfinite_in_a_row_;
  ++skipped_steps_;
  log_.warn("step " + std::to_string(step) + ": non-finite loss or gradient (loss " +
            format_number(result.loss) + ", gradient norm " + format_number(result.grad_norm) +
            "); the update was skipped");
  if (nonfinite_in_a_row_ >= settings_.max_nonfinite_in_a_row) {
    const std::string kept =
        fs::exists(latest_checkpoint())
            ? "the last good checkpoint is kept at " + latest_checkpoint().string()
            : "no checkpoint had been written yet";
    throw std::runtime_error("pretraining stopped: " + std::to_string(nonfinite_in_a_row_) +
                             " consecutive steps had a non-finite loss or gradient (up to step " +
                             std::to_string(step) + "); " + kept +
                             ". Lower the learning rate or raise clip_norm, then run again.");
  }
}

PretrainOutcome Pretrainer::run() {
  PretrainOutcome outcome;
  const BudgetBar units(settings_.budget);
  Progress bar(log_, "pretrain", units.total, units.unit);
  bar.resume_from(units.done(counters_));
  Interval& interval = interval_;
  double last_lr = 0, last_grad_norm = 0, last_t = 0;
  std::int64_t last_batch = 0, steps_this_process = 0;
  auto last_checkpoint = Clock::now();
  const std::int64_t micro = settings_.ramp.micro_batch;
  // Each step's result is read after the next step is queued, so the host does not wait for the
  // device between steps; logging and checkpoints read it first.
  struct PendingStep {
    QueuedStep queued;
    std::int64_t step;
  };
  std::optional<PendingStep> pending;
  const auto settle = [&] {
    if (!pending) return;
    // Waiting for the device is training time too (the step's own time counts only the queueing).
    const auto wait_start = Clock::now();
    const StepResult result = pending->queued.result();
    const double waited = seconds_since(wait_start);
    counters_.elapsed_s += waited;
    interval.seconds += waited;
    const std::int64_t step = pending->step;
    pending.reset();
    last_grad_norm = result.grad_norm;
    book_step(result, step);
  };

  while (!budget_spent(settings_.budget, counters_)) {
    if (settings_.stop_after_steps > 0 && steps_this_process >= settings_.stop_after_steps) break;
    const auto step_start = Clock::now();
    const double t = progress(settings_.budget, counters_);
    const std::int64_t batch_size = batch_size_at(settings_.ramp, t);
    const std::int64_t count = batch_size / micro;
    const double lr = settings_.peak_lr * settings_.lr_multiplier(t);
    const std::vector<Batch> batches = next_micro_batches(count);
    QueuedStep queued = queue_gradient_step(batches, settings_.loss, *optimizer_, *reducer_,
                                            compute_, {lr, settings_.optimizer.clip_norm});
    const double seconds = seconds_since(step_start);
    const std::int64_t tokens = batch_size * seq_len_;
    ++counters_.steps;
    ++steps_this_process;
    counters_.micro_batches += count;
    counters_.sequences += batch_size;
    counters_.tokens += tokens;
    double flops = static_cast<double>(tokens) * flops_per_token_;
    for (const Batch& batch : batches) flops += encoder_->extra_flops(batch);
    counters_.flops += flops;
    interval.flops += flops;
    counters_.elapsed_s += seconds;
    interval.tokens += tokens;
    interval.seconds += seconds;
    last_lr = lr;
    last_t = t;
    last_batch = batch_size;
    settle();  // the step before this one
    pending = PendingStep{std::move(queued), counters_.steps};

    if (counters_.steps % settings_.log_every == 0) {
      settle();
      const IntervalSummary summary = log_interval(interval, lr, batch_size, last_grad_norm, t);
      outcome.last_train_loss = summary.loss;
      bar.set_detail(fixed3("loss ", summary.loss) + ", " + compact(summary.tokens_per_s) +
                     " tok/s");
    }
    bar.set(units.done(counters_));
    if (settings_.validate_every > 0 && counters_.steps % settings_.validate_every == 0 &&
        !validation_batches_.empty())
      record_validation();
    const bool by_steps = settings_.checkpoint_every_steps > 0 &&
                          counters_.steps % settings_.checkpoint_every_steps == 0;
    const bool by_time = settings_.checkpoint_every_minutes > 0 &&
                         seconds_since(last_checkpoint) >= settings_.checkpoint_every_minutes * 60;
    if (by_steps || by_time) {
      settle();
      // No checkpoint during a run of non-finite steps: the last good one stays on disk.
      if (nonfinite_in_a_row_ == 0) {
        write_checkpoint();
        last_checkpoint = Clock::now();
      }
    }
  }
  settle();

  outcome.finished = budget_spent(settings_.budget, counters_);
  // A stopped process keeps its unfinished interval in the checkpoint, so the resumed run logs
  // the same points as an uninterrupted one.
  if (outcome.finished && interval.tokens > 0) {
    const IntervalSummary summary =
        log_interval(interval, last_lr, last_batch, last_grad_norm, last_t);
    if (std::isfinite(summary.loss)) outcome.last_train_loss = summary.loss;
  }
  outcome.final_validation_loss = std::numeric_limits<double>::quiet_NaN();
  if (outcome.finished && !validation_batches_.empty()) {
    if (!validation_curve_.empty() && validation_curve_.back().step == counters_.steps) {
      outcome.final_validation_loss = validation_curve_.back().loss;
    } else {
      outcome.final_validation_loss = record_validation();
    }
  }
  write_checkpoint();
  bar.finish();
  outcome.counters = counters_;
  outcome.skipped_steps = skipped_steps_;
  outcome.train_curve = train_curve_;
  outcome.validation_curve = validation_curve_;
  outcome.checkpoint = latest_checkpoint();
  return outcome;
}

}  // namespace dac::train
