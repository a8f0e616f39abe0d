// Agreement chunks inside a batch. Each agreement type's chunks travel in Batch::extras as one
// int64 tensor [chunks, length] of flat token indices into the batch (row · seq + position), -1
// padding. Submodels read the chunks' wordpieces from the batch's own (masked) input ids, so a
// masked position is [MASK] for them too; their outputs come back to the tokens as a mean over
// the chunks that hold each token.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace dac::model {

// The Batch::extras name of agreement type `type`'s chunks: "agreement/<type>".
std::string agreement_extra_name(const std::string& type);

// [chunks, max_length] int64 from per-chunk flat token indices (longer chunks are cut to
// max_length; shorter ones padded with -1). Empty input gives [0, max_length].
torch::Tensor chunk_positions_tensor(const std::vector<std::vector<std::int64_t>>& chunks,
                                     std::int64_t max_length);

// The chunks' wordpiece ids [chunks, length] gathered from input_ids [batch, seq] (the masked
// input), `padding_id` where the position is -1.
torch::Tensor chunk_token_ids(const torch::Tensor& input_ids, const torch::Tensor& chunk_positions,
                              std::int64_t padding_id);

// Per token of the batch ([tokens, dim]): the mean of chunk_embeddings [chunks, length, dim] over
// every chunk position that points at it; zero for tokens in no chunk.
torch::Tensor mean_over_chunks(const torch::Tensor& chunk_embeddings,
                               const torch::Tensor& chunk_positions, std::int64_t tokens);

// Whether each token [tokens] is in some chunk (float 0/1).
torch::Tensor chunk_membership(const torch::Tensor& chunk_positions, std::int64_t tokens);

// The positions moved to the next row (row r's chunks land on row r+1 at the same positions, the
// last row's on row 0): the `shuffled` control gives each row another row's agreement
// embeddings. A batch of one row is unchanged.
torch::Tensor shift_chunks_to_next_row(const torch::Tensor& chunk_positions, std::int64_t seq_len,
                                       std::int64_t rows);

}  // namespace dac::model
