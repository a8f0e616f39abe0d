// DACBERT's main model: Crammed BERT with agreement embeddings fused before the embedding
// LayerNorm.
#include "dac/model/dacbert.hpp"

#include <torch/torch.h>

#include <stdexcept>

#include "dac/error.hpp"
#include "dac/model/agreement_chunks.hpp"

namespace dac::model {

namespace {

std::int64_t parameter_elements(const torch::nn::Module& module) {
  std::int64_t count = 0;
  for (const auto& parameter : module.parameters(/*recurse=*/true)) count += parameter.numel();
  return count;
}

}  // namespace

AgreementFusion agreement_fusion_from(const std::string& name) {
  if (name == "gated_sum") return AgreementFusion::GatedSum;
  if (name == "concat_project") return AgreementFusion::ConcatProject;
  throw UserError("unknown fusion '" + name + "' (gated_sum or concat_project)");
}

AgreementControl agreement_control_from(const std::string& name) {
  if (name == "none") return AgreementControl::None;
  if (name == "random") return AgreementControl::Random;
  if (name == "shuffled") return AgreementControl::Shuffled;
  if (name == "structure_only") return AgreementControl::StructureOnly;
  throw UserError("unknown control '" + name + "' (none, random, shuffled or structure_only)");
}

std::string to_string(AgreementFusion fusion) {
  return fusion == AgreementFusion::GatedSum ? "gated_sum" : "concat_project";
}

std::string to_string(AgreementControl control) {
  switch (control) {
    case AgreementControl::None:
      return "none";
    case AgreementControl::Random:
      return "random";
    case AgreementControl::Shuffled:
      return "shuffled";
    case AgreementControl::StructureOnly:
      return "structure_only";
  }
  return "none";
}

DacBert::DacBert(const EncoderSize& size, bool sparse_prediction, AgreementOptions options,
                 std::vector<std::shared_ptr<Submodel>> submodels)
    : CrammedBert(size, sparse_prediction),
      options_(std::move(options)),
      submodels_(std::move(submodels)) {
  const bool structure_only = options_.control == AgreementControl::StructureOnly;
  if (structure_only) submodels_.assign(options_.types.size(), nullptr);
  if (submodels_.size() != options_.types.size())
    throw std::invalid_argument("dacbert: " + std::to_string(submodels_.size()) +
                                " submodels for " + std::to_string(options_.types.size()) +
                                " agreement types");
  if (options_.types.empty()) return;  // exactly Crammed BERT: no further module, no RNG draw

  for (std::size_t k = 0; k < options_.types.size(); ++k) {
    if (!submodels_[k]) continue;
    register_module("submodel_" + options_.types[k], submodels_[k]);
    if (options_.freeze_submodels)
      for (auto& parameter : submodels_[k]->parameters()) parameter.requires_grad_(false);
  }
  torch::NoGradGuard no_grad;
  if (structure_only)
    structure_vectors_ = register_parameter(
        "structure_vectors",
        torch::randn({static_cast<std::int64_t>(options_.types.size()), options_.structure_dim}) *
            size.init_std);
  if (options_.fusion == AgreementFusion::GatedSum) {
    projections_ = register_module("agreement_projections", torch::nn::ModuleList());
    for (std::size_t k = 0; k < options_.types.size(); ++k) {
      torch::nn::Linear projection(
          torch::nn::LinearOptions(agreement_dim(k), size.hidden).bias(false));
      projection->weight.normal_(0, size.init_std);
      projections_->push_back(projection);
      gates_.push_back(
          register_parameter("gate_" + options_.types[k], torch::full({}, options_.gate_init)));
    }
  } else {
    std::int64_t width = size.hidden;
    for (std::size_t k = 0; k < options_.types.size(); ++k) width += agreement_dim(k);
    concat_projection_ = register_module(
        "concat_projection",
        torch::nn::Linear(torch::nn::LinearOptions(width, size.hidden).bias(false)));
    // Starts as the identity on the ordinary embedding plus small agreement terms.
    concat_projection_->weight.normal_(0, size.init_std);
    concat_projection_->weight.narrow(1, 0, size.hidden).copy_(torch::eye(size.hidden));
  }
  train(is_training());
}

std::vector<std::string> DacBert::extra_inputs() const {
  std::vector<std::string> names;
  for (const std::string& type : options_.types) names.push_back(agreement_extra_name(type));
  return names;
}

std::int64_t DacBert::agreement_dim(std::size_t k) const {
  return submodels_[k] ? submodels_[k]->embedding_dim() : options_.structure_dim;
}

void DacBert::train(bool on) {
  CrammedBert::train(on);
  if (options_.freeze_submodels)
    for (const auto& submodel : submodels_)
      if (submodel) submodel->eval();
}

torch::Tensor DacBert::agreement_embeddings(std::size_t k, const Batch& batch, std::int64_t tokens,
                                            const torch::TensorOptions& options) {
  const auto found = batch.extras.find(agreement_extra_name(options_.types[k]));
  if (found == batch.extras.end() || found->second.size(0) == 0)
    return torch::zeros({tokens, agreement_dim(k)}, options);
  const torch::Tensor& positions = found->second;
  // Where the embeddings land: the chunk's own tokens, or (shuffled) the next row's.
  const torch::Tensor placed =
      options_.control == AgreementControl::Shuffled
          ? shift_chunks_to_next_row(positions, batch.seq_len(), batch.rows())
          : positions;
  if (options_.control == AgreementControl::StructureOnly)
    return chunk_membership(placed, tokens).to(options).unsqueeze(1) *
           structure_vectors_[static_cast<std::int64_t>(k)].to(options.dtype()).unsqueeze(0);

  // The ids come from the batch's input, where masked positions are already [MASK].
  const torch::Tensor ids = chunk_token_ids(batch.input_ids, positions, size().padding_id);
  torch::Tensor outputs;
  if (options_.freeze_submodels) {
    torch::NoGradGuard no_grad;
    outputs = submodels_[k]->embed(ids);
  } else {
    outputs = submodels_[k]->embed(ids);
  }
  // A submodel that takes fewer positions than the chunks have sees each chunk's first ones.
  return mean_over_chunks(outputs.to(options.dtype()), placed.narrow(1, 0, outputs.size(1)),
                          tokens);
}

torch::Tensor DacBert::combine_extras(torch::Tensor embeddings, const Batch& batch) {
  if (options_.types.empty()) return embeddings;
  const std::int64_t rows = embeddings.size(0), seq = embeddings.size(1);
  const std::int64_t hidden = embeddings.size(2), tokens = rows * seq;
  torch::Tensor flat = embeddings.reshape({tokens, hidden});
  if (options_.fusion == AgreementFusion::GatedSum) {
    for (std::size_t k = 0; k < options_.types.size(); ++k) {
      const torch::Tensor a = agreement_embeddings(k, batch, tokens, flat.options());
      flat = flat + gates_[k] * projections_[k]->as<torch::nn::Linear>()->forward(a);
    }
    return flat.view({rows, seq, hidden});
  }
  std::vector<torch::Tensor> parts = {flat};
  for (std::size_t k = 0; k < options_.types.size(); ++k)
    parts.push_back(agreement_embeddings(k, batch, tokens, flat.options()));
  return concat_projection_->forward(torch::cat(parts, 1)).view({rows, seq, hidden});
}

std::vector<double> DacBert::gate_values() const {
  std::vector<double> values;
  for (const torch::Tensor& gate : gates_) values.push_back(gate.item<double>());
  return values;
}

std::vector<double> DacBert::projection_norms() const {
  std::vector<double> norms;
  if (options_.types.empty()) return norms;
  if (options_.fusion == AgreementFusion::GatedSum) {
    for (const auto& projection : *projections_)
      norms.push_back(projection->as<torch::nn::Linear>()->weight.norm().item<double>());
    return norms;
  }
  std::int64_t column = size().hidden;
  for (std::size_t k = 0; k < options_.types.size(); ++k) {
    const std::int64_t width = agreement_dim(k);
    norms.push_back(concat_projection_->weight.narrow(1, column, width).norm().item<double>());
    column += width;
  }
  return norms;
}

double DacBert::train_flops_per_token(std::int64_t sequence_length, double mlm_rate) const {
  // The submodels' cost depends on how many chunks a row holds: extra_flops counts it per batch.
  std::int64_t submodel_parameters = 0;
  for (const auto& submodel : submodels_)
    if (submodel) submodel_parameters += parameter_elements(*submodel);
  return CrammedBert::train_flops_per_token(sequence_length, mlm_rate) -
         6.0 * static_cast<double>(submodel_parameters);
}

std::map<std::string, double> DacBert::monitored_values() const {
  std::map<std::string, double> values;
  const std::vector<double> gates = gate_values();
  const std::vector<double> norms = projection_norms();
  for (std::size_t k = 0; k < options_.types.size(); ++k) {
    if (k < gates.size()) values["gate/" + options_.types[k]] = gates[k];
    if (k < norms.size()) values["projection_norm/" + options_.types[k]] = norms[k];
  }
  return values;
}

double DacBert::extra_flops(const Batch& batch) const {
  const double passes = options_.freeze_submodels ? 1.0 : 3.0;
  double flops = 0;
  for (std::size_t k = 0; k < options_.types.size(); ++k) {
    if (!submodels_[k] || options_.control == AgreementControl::StructureOnly) continue;
    const auto found = batch.extras.find(agreement_extra_name(options_.types[k]));
    if (found == batch.extras.end() || found->second.size(0) == 0) continue;
    // The submodel runs over the padded [chunks, width] ids.
    const std::int64_t chunks = found->second.size(0), width = found->second.size(1);
    flops += passes * static_cast<double>(chunks * width) *
             submodels_[k]->forward_flops_per_position(width);
  }
  return flops;
}

ConfigNode DacBert::describe() const {
  ConfigNode table = CrammedBert::describe();
  table.set("name", ConfigNode::string("dacbert"));
  ConfigNode types = ConfigNode::array();
  for (const std::string& type : options_.types) types.push_back(ConfigNode::string(type));
  table.set("agreement_types", types);
  table.set("fusion", ConfigNode::string(to_string(options_.fusion)));
  table.set("control", ConfigNode::string(to_string(options_.control)));
  table.set("freeze_submodels", ConfigNode::boolean(options_.freeze_submodels));
  table.set("gate_init", ConfigNode::real(options_.gate_init));
  table.set("structure_dim", ConfigNode::integer(options_.structure_dim));
  table.set("submodel", options_.submodel);
  return table;
}

}  // namespace dac::model
