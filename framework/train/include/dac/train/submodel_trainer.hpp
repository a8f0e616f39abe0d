// DACBERT's stage-1 training loop: one submodel per agreement type, trained together with MLM
// inside the chunks of each type (each step one batch of chunks per type, their losses averaged
// into one AdamW step), under a budget of steps, hours or FLOPs, with metrics, checkpoints at
// intervals and exact resumption from the latest one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "dac/budget.hpp"
#include "dac/kinds/submodel.hpp"
#include "dac/records.hpp"
#include "dac/train/adamw.hpp"
#include "dac/train/checkpoint.hpp"
#include "dac/train/chunk_mlm.hpp"
#include "dac/train/compute.hpp"

namespace dac::train {

// The submodels of all types in one module, each registered as submodel_<type> (the names the
// dacbert encoder gives them).
struct SubmodelSet : torch::nn::Module {
  std::vector<std::string> types;
  std::vector<std::shared_ptr<Submodel>> submodels;

  void add(const std::string& type, std::shared_ptr<Submodel> submodel);
};

struct SubmodelTrainingSettings {
  Budget budget;  // steps, hours or FLOPs of this stage
  std::size_t batch_chunks = 64;
  double learning_rate = 1e-3;  // peak; cosine with 10 % warm-up over budget progress
  OptimizerSettings optimizer;
  ChunkMaskingSpec masking;
  std::uint64_t seed = 0;  // batches and masks (the caller seeds the weights)
  std::int64_t log_every = 50;
  double checkpoint_every_minutes = 10;  // 0 = only at the end
  std::filesystem::path checkpoint_dir;  // latest.ckpt lives here
  // Ends this process's training after that many steps (with a checkpoint), as an interruption
  // would; 0 = run to the end of the budget.
  std::int64_t stop_after_steps = 0;
};

struct SubmodelTrainingOutcome {
  bool finished = false;
  TrainingCounters counters;   // tokens count chunk positions, FLOPs forward + backward
  std::vector<double> losses;  // per type, the mean over the last logging interval
};

class SubmodelTrainer {
 public:
  // `chunks` per type in the order of set.types; each type needs at least one chunk. The set is
  // moved to compute.device.
  SubmodelTrainer(std::shared_ptr<SubmodelSet> set, std::vector<std::vector<ChunkExample>> chunks,
                  Compute compute, SubmodelTrainingSettings settings, CheckpointMeta meta,
                  RunLog& log);

  // Loads checkpoint_dir/latest.ckpt when it exists (weights, optimizer, counters, the batch
  // random state); returns whether it did.
  bool resume();
  SubmodelTrainingOutcome run();

  std::filesystem::path latest_checkpoint() const;
  const TrainingCounters& counters() const { return counters_; }

 private:
  void write_checkpoint();
  // Records one metrics line (loss per type, lr, chunk positions/s, FLOPs, progress).
  void log_interval(double lr, double t);

  std::shared_ptr<SubmodelSet> set_;
  std::vector<std::vector<ChunkExample>> chunks_;
  Compute compute_;
  SubmodelTrainingSettings settings_;
  CheckpointMeta meta_;
  RunLog& log_;
  std::unique_ptr<AdamW> optimizer_;
  std::mt19937_64 random_;
  TrainingCounters counters_;
  // The open logging interval: loss sums per type, steps, positions, seconds.
  std::vector<double> loss_sums_;
  std::int64_t interval_steps_ = 0;
  std::int64_t interval_tokens_ = 0;
  double interval_seconds_ = 0;
  std::vector<double> last_losses_;
};

}  // namespace dac::train
