// Pretraining throughput on random ids: warm-up steps, then timed steps of the training
// gradient step, with the device synchronised around the timed span; then, when asked, profiled
// steps saved as a Chrome trace.
#include "dac/train/throughput.hpp"

#include <fmt/format.h>
#include <torch/csrc/autograd/profiler_kineto.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <optional>
#include <set>

#include "dac/error.hpp"
#include "dac/model/agreement_chunks.hpp"
#include "dac/train/adamw.hpp"
#include "dac/train/agreement_extras.hpp"
#include "dac/train/gradient_step.hpp"
#include "dac/train/optimizer_settings.hpp"

namespace dac::train {

namespace {

// Random chunks of every agreement type the encoder reads: consecutive tokens at random starts.
void add_random_chunks(const ThroughputRequest& request, const Encoder& encoder, Batch& batch) {
  const std::int64_t length = std::clamp<std::int64_t>(request.chunk_length, 1, request.seq_len);
  for (const std::string& type : agreement_types_read_by(encoder)) {
    std::vector<std::vector<std::int64_t>> chunks;
    for (std::int64_t row = 0; row < request.batch; ++row) {
      for (std::int64_t c = 0; c < request.chunks_per_row; ++c) {
        const std::int64_t start =
            torch::randint(0, request.seq_len - length + 1, {1}, torch::kInt64)
                .item<std::int64_t>();
        std::vector<std::int64_t> members;
        for (std::int64_t i = 0; i < length; ++i)
          members.push_back(row * request.seq_len + start + i);
        chunks.push_back(std::move(members));
      }
    }
    batch.extras[model::agreement_extra_name(type)] = model::chunk_positions_tensor(chunks, length);
  }
}

// Runs `steps` calls of `step` under the Kineto profiler (CPU operators, and CUDA kernels on
// CUDA), waits for the device, and saves the Chrome trace to `path`.
void record_trace(const std::function<void()>& step, std::int64_t steps, const Compute& compute,
                  const std::string& path) {
  namespace profiler = torch::autograd::profiler;
  using torch::profiler::impl::ActivityType;
  using torch::profiler::impl::ProfilerConfig;
  using torch::profiler::impl::ProfilerState;
  const ProfilerConfig config(ProfilerState::KINETO);
  std::set<ActivityType> activities{ActivityType::CPU};
  if (compute.device.is_cuda()) activities.insert(ActivityType::CUDA);
  profiler::prepareProfiler(config, activities);
  profiler::enableProfiler(config, activities);
  try {
    for (std::int64_t i = 0; i < steps; ++i) step();
    synchronize(compute);
  } catch (...) {
    profiler::disableProfiler();
    throw;
  }
  const std::unique_ptr<profiler::ProfilerResult> result = profiler::disableProfiler();
  try {
    result->save(path);
  } catch (const c10::Error& error) {
    throw UserError(fmt::format(
        "--profile: this libtorch cannot save a profiler trace ({}); profiling needs a libtorch "
        "built with Kineto (USE_KINETO), such as the official libtorch archive or the one in a "
        "PyTorch wheel",
        error.what_without_backtrace()));
  }
}

}  // namespace

Batch random_mlm_batch(std::int64_t rows, std::int64_t seq_len, std::int64_t vocab_size,
                       double mlm_rate, std::uint64_t seed) {
  torch::manual_seed(seed);
  Batch batch;
  batch.input_ids = torch::randint(5, vocab_size, {rows, seq_len}, torch::kInt64);
  const std::int64_t total = rows * seq_len;
  const auto predicted = static_cast<std::int64_t>(std::llround(mlm_rate * total));
  batch.mlm_positions =
      std::get<0>(torch::randperm(total, torch::kInt64).slice(0, 0, predicted).sort());
  batch.mlm_labels = batch.input_ids.flatten().index_select(0, batch.mlm_positions);
  return batch;
}

Throughput measure_pretraining(Encoder& encoder, const Compute& compute,
                               const ThroughputRequest& request) {
  encoder.to(compute.device);
  encoder.set_dropout_enabled(false);
  encoder.train();
  const OptimizerSettings recipe;
  AdamW optimizer(recipe_parameter_groups(encoder, recipe.weight_decay), recipe.adam);
  LocalGradients reducer;
  Batch batch = random_mlm_batch(request.batch, request.seq_len, encoder.vocab_size(),
                                 request.mlm_rate, request.seed);
  add_random_chunks(request, encoder, batch);
  const std::vector<Batch> micro_batches{batch.to(compute.device)};
  const LossFunction loss = [&encoder](const Batch& batch) { return encoder.mlm_loss(batch); };
  const StepOptions options{1e-4, recipe.clip_norm};
  // As the pretrainer does: each step's loss is read after the next step is queued.
  std::optional<QueuedStep> previous;
  const auto step = [&] {
    QueuedStep queued =
        queue_gradient_step(micro_batches, loss, optimizer, reducer, compute, options);
    if (previous) previous->result();
    previous = std::move(queued);
  };

  for (std::int64_t i = 0; i < request.warmup; ++i) step();
  synchronize(compute);
  const auto start = std::chrono::steady_clock::now();
  for (std::int64_t i = 0; i < request.steps; ++i) step();
  synchronize(compute);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  Throughput result;
  result.seconds_per_step = seconds / static_cast<double>(std::max<std::int64_t>(request.steps, 1));
  result.tokens_per_s =
      static_cast<double>(request.batch * request.seq_len) / result.seconds_per_step;
  // The submodels' work over the batch's chunks counts too (DACBERT).
  const double flops_per_token =
      encoder.train_flops_per_token(request.seq_len, request.mlm_rate) +
      encoder.extra_flops(batch) / static_cast<double>(request.batch * request.seq_len);
  result.tflops = result.tokens_per_s * flops_per_token / 1e12;
  result.mfu =
      compute.peak_flops > 0 ? result.tokens_per_s * flops_per_token / compute.peak_flops : 0;
  result.parameters = encoder.parameter_count();
  result.memory_bytes = memory_in_use(compute);

  if (!request.profile_path.empty())
    record_trace(step, request.profile_steps, compute, request.profile_path);
  return result;
}

}  // namespace dac::train
