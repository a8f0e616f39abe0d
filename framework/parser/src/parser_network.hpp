// The tagger and parser network: word features -> embeddings -> bidirectional LSTM -> an UPOS
// MLP, a biaffine arc scorer (Dozat & Manning) and a bilinear relation classifier.
#pragma once

#include <torch/torch.h>

#include "dac/parser/parser_config.hpp"

namespace dac::parser {

// A padded batch of sentences with the artificial root at position 0.
struct ParserBatch {
  torch::Tensor words;    // [B, T] int64
  torch::Tensor affixes;  // [B, T, kAffixCount] int64
  torch::Tensor shapes;   // [B, T] int64
  torch::Tensor lengths;  // [B] int64, words + 1 (the root)
  torch::Tensor mask;     // [B, T] bool, true on real words (root excluded)
  // Gold annotation for training (undefined at inference): [B, T] int64, -1 where unused.
  torch::Tensor upos, heads, relations;
};

struct ParserScores {
  torch::Tensor upos;                           // [B, T, tags]
  torch::Tensor arcs;                           // [B, T, T]: arcs[b, d, h] = score of h heading d
  torch::Tensor dependent_labels, head_labels;  // [B, T, label_dim + 1] projections
};

class ParserNetworkImpl : public torch::nn::Module {
 public:
  ParserNetworkImpl(const ParserConfig& config, std::int64_t word_count, std::int64_t tag_count,
                    std::int64_t relation_count);
  ParserScores forward(const ParserBatch& batch);
  // Relation scores [B, T, relations] for the given head of every position ([B, T] int64).
  torch::Tensor relation_scores(const ParserScores& scores, const torch::Tensor& heads);

 private:
  torch::Tensor mlp(torch::nn::Linear& layer, const torch::Tensor& input);
  double dropout_;
  torch::nn::Embedding word_embedding_{nullptr}, affix_embedding_{nullptr},
      shape_embedding_{nullptr};
  torch::nn::LSTM lstm_{nullptr};
  torch::nn::Linear tag_hidden_{nullptr}, tag_out_{nullptr};
  torch::nn::Linear arc_dependent_{nullptr}, arc_head_{nullptr};
  torch::nn::Linear label_dependent_{nullptr}, label_head_{nullptr};
  torch::Tensor arc_weight_, arc_head_bias_, label_weight_;
};
TORCH_MODULE(ParserNetwork);

}  // namespace dac::parser
