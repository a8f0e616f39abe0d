// DACBERT's stage-1 training loop.
#include "dac/train/submodel_trainer.hpp"

#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <sstream>

#include "dac/config.hpp"
#include "dac/schedules.hpp"
#include "dac/train/gradient_step.hpp"
#include "dac/train/stopwatch.hpp"

namespace dac::train {

namespace fs = std::filesystem;

namespace {

// Forward and backward FLOPs of one type's chunk batch: the encoder over every (padded)
// position, the decoder at the masked ones.
double chunk_batch_flops(const Submodel& submodel, const Batch& batch) {
  const std::int64_t width = batch.input_ids.size(1);
  return 3.0 * static_cast<double>(batch.input_ids.numel()) *
             submodel.forward_flops_per_position(width) +
         3.0 * static_cast<double>(batch.mlm_positions.numel()) *
             submodel.decoder_flops_per_prediction();
}

ConfigNode reals(const std::vector<double>& values) {
  ConfigNode array = ConfigNode::array();
  for (double value : values) array.push_back(ConfigNode::real(value));
  return array;
}

std::vector<double> reals_from(const ConfigNode* array, std::size_t size) {
  std::vector<double> values(size, 0.0);
  if (array == nullptr) return values;
  for (std::size_t i = 0; i < size && i < array->items().size(); ++i)
    values[i] = array->items()[i].as_float();
  return values;
}

}  // namespace

void SubmodelSet::add(const std::string& type, std::shared_ptr<Submodel> submodel) {
  types.push_back(type);
  submodels.push_back(register_module("submodel_" + type, std::move(submodel)));
}

SubmodelTrainer::SubmodelTrainer(std::shared_ptr<SubmodelSet> set,
                                 std::vector<std::vector<ChunkExample>> chunks, Compute compute,
                                 SubmodelTrainingSettings settings, CheckpointMeta meta,
                                 RunLog& log)
    : set_(std::move(set)),
      chunks_(std::move(chunks)),
      compute_(std::move(compute)),
      settings_(std::move(settings)),
      meta_(std::move(meta)),
      log_(log),
      random_(settings_.seed),
      loss_sums_(set_->types.size(), 0.0),
      last_losses_(set_->types.size(), 0.0) {
  if (chunks_.size() != set_->types.size())
    throw std::invalid_argument("SubmodelTrainer: one chunk list per submodel type is needed");
  set_->to(compute_.device);
  set_->train();
  optimizer_ = std::make_unique<AdamW>(
      recipe_parameter_groups(*set_, settings_.optimizer.weight_decay), settings_.optimizer.adam);
}

fs::path SubmodelTrainer::latest_checkpoint() const {
  return settings_.checkpoint_dir / "latest.ckpt";
}

bool SubmodelTrainer::resume() {
  if (!fs::exists(latest_checkpoint())) return false;
  const CheckpointMeta loaded = load_checkpoint(latest_checkpoint(), *set_, optimizer_.get());
  counters_ = loaded.counters;
  const ConfigNode extra = parse_toml(loaded.extra_toml, latest_checkpoint().string());
  std::istringstream state(extra.find("batch_random")->as_string());
  state >> random_;
  const std::size_t types = set_->types.size();
  loss_sums_ = reals_from(extra.find("loss_sums"), types);
  last_losses_ = reals_from(extra.find("last_losses"), types);
  interval_steps_ = extra.find("interval_steps")->as_int();
  interval_tokens_ = extra.find("interval_tokens")->as_int();
  interval_seconds_ = extra.find("interval_seconds")->as_float();
  log_.info(
      fmt::format("resumed from {} at step {}", latest_checkpoint().string(), counters_.steps));
  return true;
}

void SubmodelTrainer::write_checkpoint() {
  CheckpointMeta meta = meta_;
  meta.counters = counters_;
  ConfigNode extra = ConfigNode::table();
  std::ostringstream state;
  state << random_;
  extra.set("batch_random", ConfigNode::string(state.str()));
  extra.set("loss_sums", reals(loss_sums_));
  extra.set("last_losses", reals(last_losses_));
  extra.set("interval_steps", ConfigNode::integer(interval_steps_));
  extra.set("interval_tokens", ConfigNode::integer(interval_tokens_));
  extra.set("interval_seconds", ConfigNode::real(interval_seconds_));
  meta.extra_toml = to_toml(extra);
  fs::create_directories(settings_.checkpoint_dir);
  save_checkpoint(latest_checkpoint(), *set_, optimizer_.get(), meta);
}

void SubmodelTrainer::log_interval(double lr, double t) {
  ConfigNode values = ConfigNode::table();
  std::string text;
  double mean = 0;
  for (std::size_t k = 0; k < set_->types.size(); ++k) {
    last_losses_[k] = loss_sums_[k] / static_cast<double>(interval_steps_);
    mean += last_losses_[k] / static_cast<double>(set_->types.size());
    values.set("loss/" + set_->types[k], ConfigNode::real(last_losses_[k]));
    text += fmt::format("{}{} {:.3f}", k ? ", " : "", set_->types[k], last_losses_[k]);
  }
  values.set("loss", ConfigNode::real(mean));
  values.set("lr", ConfigNode::real(lr));
  values.set("tokens", ConfigNode::integer(counters_.tokens));
  values.set("flops", ConfigNode::real(counters_.flops));
  values.set("tokens_per_s",
             ConfigNode::real(interval_seconds_ > 0
                                  ? static_cast<double>(interval_tokens_) / interval_seconds_
                                  : 0));
  values.set("progress", ConfigNode::real(t));
  values.set("elapsed_s", ConfigNode::real(counters_.elapsed_s));
  log_.metrics(counters_.steps, values);
  log_.info(fmt::format("step {}: loss {:.4f} ({})", counters_.steps, mean, text));
  std::fill(loss_sums_.begin(), loss_sums_.end(), 0.0);
  interval_steps_ = interval_tokens_ = 0;
  interval_seconds_ = 0;
}

SubmodelTrainingOutcome SubmodelTrainer::run() {
  const BudgetBar units(settings_.budget);
  Progress bar(log_, "stage 1", units.total, units.unit);
  bar.resume_from(units.done(counters_));
  LocalGradients reducer;
  std::int64_t steps_this_process = 0;
  double lr = 0, t = 0;
  auto last_checkpoint = Clock::now();
  while (!budget_spent(settings_.budget, counters_)) {
    if (settings_.stop_after_steps > 0 && steps_this_process >= settings_.stop_after_steps) break;
    const auto step_start = Clock::now();
    t = progress(settings_.budget, counters_);
    lr = settings_.learning_rate * cosine_multiplier(t, 0.1);
    // One micro-batch per type; gradient_step averages their losses, in this order.
    std::vector<Batch> batches;
    std::int64_t tokens = 0;
    double flops = 0;
    for (std::size_t k = 0; k < chunks_.size(); ++k) {
      std::vector<std::size_t> indices(settings_.batch_chunks);
      for (std::size_t& index : indices) index = random_() % chunks_[k].size();
      batches.push_back(chunk_mlm_batch(chunks_[k], indices, settings_.masking, random_));
      tokens += batches.back().input_ids.numel();
      flops += chunk_batch_flops(*set_->submodels[k], batches.back());
    }
    std::size_t type = 0;
    std::vector<double> losses(chunks_.size(), 0.0);
    const auto loss = [&](const Batch& batch) {
      torch::Tensor value = chunk_mlm_loss(*set_->submodels[type], batch);
      losses[type++] = value.item<double>();
      return value;
    };
    const StepResult result = gradient_step(batches, loss, *optimizer_, reducer, compute_,
                                            {.lr = lr, .clip_norm = settings_.optimizer.clip_norm});
    if (!result.applied)
      log_.warn(fmt::format("stage 1 step {}: non-finite loss or gradient; update skipped",
                            counters_.steps + 1));
    const double seconds = seconds_since(step_start);
    ++counters_.steps;
    ++steps_this_process;
    counters_.micro_batches += static_cast<std::int64_t>(batches.size());
    counters_.sequences += static_cast<std::int64_t>(settings_.batch_chunks * chunks_.size());
    counters_.tokens += tokens;
    counters_.flops += flops;
    counters_.elapsed_s += seconds;
    for (std::size_t k = 0; k < losses.size(); ++k) loss_sums_[k] += losses[k];
    ++interval_steps_;
    interval_tokens_ += tokens;
    interval_seconds_ += seconds;
    if (counters_.steps % settings_.log_every == 0) log_interval(lr, t);
    bar.set(units.done(counters_));
    if (settings_.checkpoint_every_minutes > 0 &&
        seconds_since(last_checkpoint) >= settings_.checkpoint_every_minutes * 60) {
      write_checkpoint();
      last_checkpoint = Clock::now();
    }
  }
  SubmodelTrainingOutcome outcome;
  outcome.finished = budget_spent(settings_.budget, counters_);
  if (outcome.finished && interval_steps_ > 0) log_interval(lr, t);
  write_checkpoint();
  bar.finish();
  outcome.counters = counters_;
  outcome.losses = last_losses_;
  return outcome;
}

}  // namespace dac::train
