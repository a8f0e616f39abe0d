// Pseudo-log-likelihood of sentences under a masked-language-model encoder: for each wordpiece
// between [CLS] and [SEP], the sentence with that piece replaced by [MASK] is one row, and the
// log-probability the model gives the original piece there is added to the sentence's score.
// Rows of many sentences share a forward pass. No torch in this header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace dac {

struct Batch;
class Encoder;

namespace train {
struct Compute;
}

namespace finetune {

// Called with every batch before it moves to the device: for each row, the index of the sentence
// it is a masked copy of. It may add what the encoder reads besides the ids (Batch::extras, e.g.
// agreement chunks); a row's positions are those of its sentence's ids.
using PllBatchHook =
    std::function<void(const std::vector<std::size_t>& sentence_of_row, Batch& batch)>;

struct PllOptions {
  std::size_t batch_size = 128;  // rows (masked copies) per forward pass
  PllBatchHook hook;             // none: batches hold only ids and the attention mask
  // Called after each batch with the rows done and the rows in all.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

// The PLL of each sentence, given as ids `[CLS] pieces [SEP]` (first and last are never masked;
// a sentence without pieces scores 0). The encoder runs in eval mode without gradients, under the
// compute's precision; its training mode is restored afterwards. The sum is in float64.
std::vector<double> pseudo_log_likelihoods(Encoder& encoder,
                                           const std::vector<std::vector<std::int32_t>>& sentences,
                                           std::int32_t mask_id, std::int32_t pad_id,
                                           const train::Compute& compute,
                                           const PllOptions& options = {});

}  // namespace finetune
}  // namespace dac
