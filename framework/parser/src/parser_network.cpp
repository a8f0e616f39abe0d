// The tagger and parser network's layers and forward pass.
#include "parser_network.hpp"

#include "dac/parser/parser_vocab.hpp"

namespace dac::parser {

ParserNetworkImpl::ParserNetworkImpl(const ParserConfig& config, std::int64_t word_count,
                                     std::int64_t tag_count, std::int64_t relation_count)
    : dropout_(config.dropout) {
  namespace nn = torch::nn;
  word_embedding_ = register_module("word_embedding", nn::Embedding(word_count, config.word_dim));
  affix_embedding_ =
      register_module("affix_embedding", nn::Embedding(config.affix_buckets, config.affix_dim));
  shape_embedding_ =
      register_module("shape_embedding", nn::Embedding(kShapeBuckets, config.shape_dim));
  const std::int64_t input = config.word_dim + config.affix_dim + config.shape_dim;
  lstm_ = register_module("lstm",
                          nn::LSTM(nn::LSTMOptions(input, config.lstm_hidden)
                                       .num_layers(config.lstm_layers)
                                       .bidirectional(true)
                                       .batch_first(true)
                                       .dropout(config.lstm_layers > 1 ? config.dropout : 0.0)));
  const std::int64_t encoded = 2 * config.lstm_hidden;
  tag_hidden_ = register_module("tag_hidden", nn::Linear(encoded, config.tag_hidden));
  tag_out_ = register_module("tag_out", nn::Linear(config.tag_hidden, tag_count));
  arc_dependent_ = register_module("arc_dependent", nn::Linear(encoded, config.arc_dim));
  arc_head_ = register_module("arc_head", nn::Linear(encoded, config.arc_dim));
  label_dependent_ = register_module("label_dependent", nn::Linear(encoded, config.label_dim));
  label_head_ = register_module("label_head", nn::Linear(encoded, config.label_dim));
  // Biaffine weights start at zero (as in Dozat & Manning); embeddings small.
  arc_weight_ = register_parameter("arc_weight", torch::zeros({config.arc_dim, config.arc_dim}));
  arc_head_bias_ = register_parameter("arc_head_bias", torch::zeros({config.arc_dim}));
  label_weight_ = register_parameter(
      "label_weight", torch::zeros({relation_count, config.label_dim + 1, config.label_dim + 1}));
  torch::NoGradGuard no_grad;
  for (auto* embedding : {&word_embedding_, &affix_embedding_, &shape_embedding_})
    (*embedding)->weight.normal_(0, 0.1);
}

torch::Tensor ParserNetworkImpl::mlp(torch::nn::Linear& layer, const torch::Tensor& input) {
  return torch::dropout(torch::leaky_relu(layer->forward(input), 0.1), dropout_, is_training());
}

ParserScores ParserNetworkImpl::forward(const ParserBatch& batch) {
  torch::Tensor input = torch::cat(
      {word_embedding_->forward(batch.words), affix_embedding_->forward(batch.affixes).sum(2),
       shape_embedding_->forward(batch.shapes)},
      -1);
  input = torch::dropout(input, dropout_, is_training());
  auto packed = torch::nn::utils::rnn::pack_padded_sequence(input, batch.lengths,
                                                            /*batch_first=*/true,
                                                            /*enforce_sorted=*/false);
  auto [output, state] = lstm_->forward_with_packed_input(packed);
  torch::Tensor encoded = std::get<0>(torch::nn::utils::rnn::pad_packed_sequence(
      output, /*batch_first=*/true, /*padding_value=*/0.0, input.size(1)));
  encoded = torch::dropout(encoded, dropout_, is_training());

  ParserScores scores;
  scores.upos = tag_out_->forward(mlp(tag_hidden_, encoded));
  const torch::Tensor dependents = mlp(arc_dependent_, encoded);  // [B, T, A]
  const torch::Tensor heads = mlp(arc_head_, encoded);
  scores.arcs = torch::matmul(torch::matmul(dependents, arc_weight_), heads.transpose(1, 2)) +
                torch::matmul(heads, arc_head_bias_).unsqueeze(1);
  const torch::Tensor ones = torch::ones({encoded.size(0), encoded.size(1), 1}, encoded.options());
  scores.dependent_labels = torch::cat({mlp(label_dependent_, encoded), ones}, -1);
  scores.head_labels = torch::cat({mlp(label_head_, encoded), ones}, -1);
  return scores;
}

torch::Tensor ParserNetworkImpl::relation_scores(const ParserScores& scores,
                                                 const torch::Tensor& heads) {
  const auto width = scores.head_labels.size(2);
  const torch::Tensor head_rows = scores.head_labels.gather(
      1, heads.clamp_min(0).unsqueeze(-1).expand({-1, -1, width}));  // [B, T, L+1]
  // s[b, t, r] = dep[b, t]^T U_r head[b, t], as one matmul and a product summed over the width
  // (an einsum would run one tiny matmul per word).
  const auto relations = label_weight_.size(0);
  const torch::Tensor weight = label_weight_.permute({1, 0, 2}).reshape({width, -1});  // [d, R*e]
  const torch::Tensor projected =
      torch::matmul(scores.dependent_labels, weight)
          .view({head_rows.size(0), head_rows.size(1), relations, width});
  return (projected * head_rows.unsqueeze(2)).sum(-1);
}

}  // namespace dac::parser
