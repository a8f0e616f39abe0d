// Tensors from the text pipeline's MLM batches: input ids, and the masked positions and their
// original ids (a static count per batch, since every row has the same number masked).
#pragma once

#include <functional>

#include "dac/kinds/encoder.hpp"
#include "dac/text/batch_loader.hpp"

namespace dac::train {

// rows × seq_len int64 input_ids; mlm_positions (ascending flat indices of labels ≠ ignore) and
// mlm_labels. Tensors are on the CPU, in pinned memory when `pin` (for CUDA training).
Batch to_batch(const text::MlmBatch& batch, std::int64_t seq_len, bool pin = false);

// Adds a batch's extra inputs (e.g. agreement chunks), given the loader's batch it was made from.
using MlmBatchExtras = std::function<void(const text::MlmBatch&, Batch&)>;

}  // namespace dac::train
