// The budgeted MLM pretraining loop shared by the `pretrain` stage and its tests: batch-size
// ramp and learning-rate schedule driven by budget progress t, gradient accumulation over
// micro-batches, the non-finite guard, periodic metrics and validation loss, checkpoints at
// intervals and at the end, and exact resumption from the latest checkpoint.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dac/budget.hpp"
#include "dac/kinds/encoder.hpp"
#include "dac/records.hpp"
#include "dac/text/batch_loader.hpp"
#include "dac/train/adamw.hpp"
#include "dac/train/checkpoint.hpp"
#include "dac/train/compute.hpp"
#include "dac/train/gradient_step.hpp"
#include "dac/train/mlm_batch.hpp"

namespace dac::train {

struct PretrainSettings {
  Budget budget;
  BatchRamp ramp;
  double peak_lr = 1e-3;
  OptimizerSettings optimizer;
  std::function<double(double)> lr_multiplier;  // of progress t; required
  bool dropout = false;                         // the recipe pretrains with dropout off

  std::vector<std::filesystem::path> train_shards;
  std::vector<std::filesystem::path> validation_shards;  // may be empty (no validation loss)
  text::MaskingSpec masking;
  text::RowOrder order = text::RowOrder::kSequential;
  std::uint64_t seed = 0;  // masks, shuffles and (by the caller) the initial weights
  // The extra inputs for batches of the given shards (called once for the train shards and once
  // for the validation shards); empty = none.
  std::function<MlmBatchExtras(const std::vector<std::filesystem::path>&)> extras_for_shards;

  std::int64_t log_every = 10;               // steps between metrics records
  std::int64_t validate_every = 100;         // steps between validation losses; 0 = only at the end
  std::int64_t validation_rows = 512;        // held-out rows evaluated (0 = all)
  std::int64_t checkpoint_every_steps = 0;   // 0 = by time only
  double checkpoint_every_minutes = 30;      // 0 = by steps only
  std::int64_t max_nonfinite_in_a_row = 10;  // consecutive skipped steps that stop the run
  std::filesystem::path checkpoint_dir;      // latest.ckpt lives here
  // Ends this process's training after that many steps (with a checkpoint), as an interruption
  // would; 0 = run to the end of the budget.
  std::int64_t stop_after_steps = 0;
  // The loss of a micro-batch; empty = encoder.mlm_loss.
  LossFunction loss;
};

struct CurvePoint {
  std::int64_t step = 0;
  std::int64_t tokens = 0;
  double loss = 0;
};

struct PretrainOutcome {
  bool finished = false;  // the budget is spent (false after stop_after_steps)
  TrainingCounters counters;
  double last_train_loss = 0;        // mean over the last logging interval
  double final_validation_loss = 0;  // NaN without validation rows
  std::int64_t skipped_steps = 0;
  std::vector<CurvePoint> train_curve;       // one point per logging interval, whole run
  std::vector<CurvePoint> validation_curve;  // one point per validation, whole run
  std::filesystem::path checkpoint;          // the last checkpoint written
};

class Pretrainer {
 public:
  // `meta` carries what checkpoints record besides the training state (config, encoder, plugins,
  // tokenizer). The encoder is moved to compute.device.
  Pretrainer(std::shared_ptr<Encoder> encoder, Compute compute, PretrainSettings settings,
             CheckpointMeta meta, RunLog& log);
  ~Pretrainer();

  // Loads checkpoint_dir/latest.ckpt when it exists (model, optimizer, counters, data position,
  // curves, RNG); returns whether it did.
  bool resume();
  // Trains until the budget is spent or stop_after_steps; writes a checkpoint at the end.
  // Throws std::runtime_error when max_nonfinite_in_a_row consecutive steps are non-finite
  // (the last checkpoint written before them is kept).
  PretrainOutcome run();
  // The mean MLM loss on the first validation_rows held-out rows, masked the same way every
  // time (fixed seed and step); NaN without validation shards.
  double validation_loss();

  const TrainingCounters& counters() const { return counters_; }
  Encoder& encoder() { return *encoder_; }
  AdamW& optimizer() { return *optimizer_; }
  std::filesystem::path latest_checkpoint() const;

 private:
  // What one logging interval accumulates.
  struct Interval {
    double loss_sum = 0;
    std::int64_t applied_steps = 0;
    std::int64_t tokens = 0;
    double flops = 0;
    double seconds = 0;
  };
  struct IntervalSummary {
    double loss = 0;  // NaN when every step of the interval was skipped
    double tokens_per_s = 0;
  };
  // Records the interval's metrics (and a train-curve point) and resets it.
  IntervalSummary log_interval(Interval& interval, double lr, std::int64_t batch_size,
                               double grad_norm, double t);
  // Books a step's result: its loss into the interval, or a skipped step (warned about; too many
  // in a row stop the run).
  void book_step(const StepResult& result, std::int64_t step);
  // Computes the validation loss, records it (metrics and curve) and returns it.
  double record_validation();
  void write_checkpoint();
  std::vector<Batch> next_micro_batches(std::int64_t count);
  void restart_loader();

  std::shared_ptr<Encoder> encoder_;
  Compute compute_;
  PretrainSettings settings_;
  CheckpointMeta meta_;
  RunLog& log_;
  std::unique_ptr<AdamW> optimizer_;
  std::unique_ptr<LocalGradients> reducer_;
  std::unique_ptr<text::MlmBatchLoader> loader_;
  MlmBatchExtras train_extras_;  // extras of the train batches (empty: none)
  std::vector<Batch> validation_batches_;
  Interval interval_;  // the logging interval in progress (kept in checkpoints)
  TrainingCounters counters_;
  std::int64_t nonfinite_in_a_row_ = 0;
  std::int64_t skipped_steps_ = 0;
  std::vector<CurvePoint> train_curve_, validation_curve_;
  double flops_per_token_ = 0;
  std::int64_t seq_len_ = 0;
};

}  // namespace dac::train
