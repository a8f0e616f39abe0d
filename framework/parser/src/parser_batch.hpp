// Turning sentences into the network's padded batches, and grouping sentences of similar length
// into batches of a word budget.
#pragma once

#include <vector>

#include "dac/parser/parser_vocab.hpp"
#include "dac/syntax/sentence.hpp"
#include "parser_network.hpp"

namespace dac::parser {

// The batch of `sentences` (root at position 0). With `gold`, the UPOS, head and relation
// targets too (labels the vocabulary lacks become -1 and are ignored by the loss).
ParserBatch make_batch(const std::vector<const Sentence*>& sentences, const ParserVocab& vocab,
                       bool gold);

// The batch's tensors on `device`.
ParserBatch to_device(const ParserBatch& batch, const torch::Device& device);

// Sentence indices grouped by similar length, each group at most `batch_words` words (a longer
// sentence is a group of its own).
std::vector<std::vector<std::size_t>> length_batches(const std::vector<const Sentence*>& sentences,
                                                     std::size_t batch_words);

}  // namespace dac::parser
