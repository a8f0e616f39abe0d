// DACBERT's main model: Crammed BERT whose embedding takes the agreement embeddings of frozen
// stage-1 submodels. With gated_sum fusion token i enters the embedding LayerNorm as
//   E[x_i] + pos_i + Σ_k g_k · P_k · a_k(i)
// where a_k(i) is submodel k's output at token i (mean over the chunks of type k that hold i,
// zero when none), P_k a trainable projection and g_k a trainable gate; concat_project instead
// projects [E[x_i] + pos_i ; a_1(i) ; … ; a_K(i)] back to the hidden width. With no agreement
// types it is exactly Crammed BERT.
#pragma once

#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>

#include <memory>
#include <string>
#include <vector>

#include "dac/kinds/submodel.hpp"
#include "dac/model/crammed_bert.hpp"

namespace dac::model {

enum class AgreementFusion { GatedSum, ConcatProject };

// What the agreement path feeds the model: the submodels' outputs, those of another row (a
// control), or a learned vector per agreement type on chunk members (no submodel).
enum class AgreementControl { None, Random, Shuffled, StructureOnly };

AgreementFusion agreement_fusion_from(const std::string& name);    // "gated_sum", "concat_project"
AgreementControl agreement_control_from(const std::string& name);  // "none", "random", ...
std::string to_string(AgreementFusion fusion);
std::string to_string(AgreementControl control);

struct AgreementOptions {
  std::vector<std::string> types;  // agreement types, e.g. "subject_verb"; their extras are read
  AgreementFusion fusion = AgreementFusion::GatedSum;
  AgreementControl control = AgreementControl::None;
  bool freeze_submodels = true;
  double gate_init = 1.0;                     // g_k at initialisation
  std::int64_t structure_dim = 256;           // width of the structure_only type vectors
  ConfigNode submodel = ConfigNode::table();  // the submodel plugin table, kept for describe()
};

class DacBert : public CrammedBert {
 public:
  // One submodel per type (none for structure_only), in the order of options.types.
  DacBert(const EncoderSize& size, bool sparse_prediction, AgreementOptions options,
          std::vector<std::shared_ptr<Submodel>> submodels);

  ConfigNode describe() const override;
  double train_flops_per_token(std::int64_t sequence_length, double mlm_rate) const override;
  // The submodels' FLOPs over the batch's chunks: one forward pass when frozen, forward and
  // backward otherwise.
  double extra_flops(const Batch& batch) const override;
  // Keeps frozen submodels in evaluation mode (no dropout) whatever the main model's mode.
  void train(bool on = true) override;
  // "agreement/<type>" for every agreement type.
  std::vector<std::string> extra_inputs() const override;
  // "gate/<type>" (gated_sum) and "projection_norm/<type>" per agreement type.
  std::map<std::string, double> monitored_values() const override;

  const AgreementOptions& agreement_options() const { return options_; }
  // The submodel of type k (nullptr for structure_only).
  std::shared_ptr<Submodel> submodel(std::size_t k) const { return submodels_[k]; }
  // g_k per type (gated_sum), for the interpretability reports; empty for concat_project.
  std::vector<double> gate_values() const;
  // The Frobenius norm of P_k per type (gated_sum) or of type k's block of the concat projection.
  std::vector<double> projection_norms() const;

 protected:
  torch::Tensor combine_extras(torch::Tensor embeddings, const Batch& batch) override;

 private:
  // a_k for every token [batch·seq, dim_k]; zeros when the batch has no chunks of type k.
  torch::Tensor agreement_embeddings(std::size_t k, const Batch& batch, std::int64_t tokens,
                                     const torch::TensorOptions& options);
  std::int64_t agreement_dim(std::size_t k) const;

  AgreementOptions options_;
  std::vector<std::shared_ptr<Submodel>> submodels_;
  torch::nn::ModuleList projections_{nullptr};    // gated_sum: P_k (dim_k -> hidden, no bias)
  std::vector<torch::Tensor> gates_;              // gated_sum: g_k (scalars)
  torch::nn::Linear concat_projection_{nullptr};  // concat_project
  torch::Tensor structure_vectors_;               // structure_only: [types, structure_dim]
};

}  // namespace dac::model
