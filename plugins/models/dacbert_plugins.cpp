// DACBERT's plugins: the `dacbert` encoder (Crammed BERT keys plus the agreement fusion keys) and
// the built-in submodels.
#include "dacbert_plugins.hpp"

#include "dac/model/chunk_submodels.hpp"
#include "dac/model/dacbert.hpp"
#include "dac/model/encoder_size.hpp"
#include "dac/plugin_host.hpp"

namespace dac::plugins {

namespace {

const std::vector<std::string> kDefaultAgreementTypes = {"subject_verb", "verb_object",
                                                         "adjective_noun", "determiner_noun"};

}  // namespace

PluginSpec dacbert_spec() {
  ConfigSchema schema;
  model::add_encoder_size_keys(schema, model::EncoderSize{});
  schema
      .boolean("sparse_prediction", true,
               "decode only the masked positions (false: decode every position, same loss)")
      .strings("agreement_types", kDefaultAgreementTypes,
               "agreement types whose chunks feed the model (batch extras agreement/<type>); "
               "empty: exactly crammed_bert")
      .string("fusion", "gated_sum",
              "gated_sum: add g_k * P_k * a_k before the embedding LayerNorm; concat_project: "
              "project [embedding; a_1; ...; a_K] back to the hidden width")
      .choices({"gated_sum", "concat_project"})
      .string("control", "none",
              "none; random (frozen untrained submodels); shuffled (each row gets another "
              "row's agreement embeddings); structure_only (a learned vector per type on chunk "
              "members, no submodel)")
      .choices({"none", "random", "shuffled", "structure_only"})
      .boolean("freeze_submodels", true, "keep the submodels' weights fixed while pretraining")
      .real("gate_init", 1.0, "initial value of each gate g_k (gated_sum)")
      .integer("structure_dim", 256, "width of the structure_only type vectors")
      .min(1)
      .optional_plugin("submodel", "submodel",
                       "the submodel of every agreement type (default: chunk_transformer with "
                       "the main model's vocabulary)");
  return PluginSpec{.name = "dacbert",
                    .version = "1",
                    .summary =
                        "DACBERT: Crammed BERT with frozen agreement-submodel embeddings "
                        "fused before the embedding LayerNorm",
                    .schema = std::move(schema),
                    .config_sections = {}};
}

std::unique_ptr<Encoder> make_dacbert(const Options& options, PluginHost& host) {
  const model::EncoderSize size = model::encoder_size_from(options);
  model::AgreementOptions agreement;
  agreement.types = options.strings("agreement_types");
  agreement.fusion = model::agreement_fusion_from(options.string("fusion"));
  agreement.control = model::agreement_control_from(options.string("control"));
  agreement.freeze_submodels = options.boolean("freeze_submodels");
  agreement.gate_init = options.real("gate_init");
  agreement.structure_dim = options.integer("structure_dim");
  // The submodels read the main model's wordpieces: same vocabulary and padding id.
  agreement.submodel = options.has("submodel") ? options.node("submodel") : ConfigNode::table();
  if (!agreement.submodel.contains("name"))
    agreement.submodel.set("name", ConfigNode::string("chunk_transformer"));
  if (!agreement.submodel.contains("vocab_size"))
    agreement.submodel.set("vocab_size", ConfigNode::integer(size.vocab_size));

  std::vector<std::shared_ptr<Submodel>> submodels;
  if (agreement.control != model::AgreementControl::StructureOnly)
    for (const std::string& type : agreement.types)
      submodels.push_back(host.create<Submodel>(agreement.submodel,
                                                options.key_path("submodel") + " (" + type + ")"));
  return std::make_unique<model::DacBert>(size, options.boolean("sparse_prediction"),
                                          std::move(agreement), std::move(submodels));
}

PluginSpec chunk_transformer_spec() {
  ConfigSchema schema;
  model::add_encoder_size_keys(schema, model::chunk_transformer_defaults());
  return PluginSpec{.name = "chunk_transformer",
                    .version = "1",
                    .summary =
                        "a small Crammed-BERT-style encoder over the wordpieces of one "
                        "chunk (2 x 256 x 4 by default), trained with MLM inside the chunk",
                    .schema = std::move(schema),
                    .config_sections = {}};
}

std::unique_ptr<Submodel> make_chunk_transformer(const Options& options) {
  return std::make_unique<model::ChunkTransformer>(model::encoder_size_from(options));
}

PluginSpec bag_of_embeddings_spec() {
  ConfigSchema schema;
  schema.integer("vocab_size", 32768, "wordpiece vocabulary (the main model's)")
      .min(1)
      .integer("dim", 256, "embedding width")
      .min(1)
      .real("init_std", 0.02, "standard deviation of the initial embeddings")
      .min(0);
  return PluginSpec{.name = "bag_of_embeddings",
                    .version = "1",
                    .summary =
                        "baseline submodel: each position's embedding plus the mean of "
                        "its chunk's embeddings",
                    .schema = std::move(schema),
                    .config_sections = {}};
}

std::unique_ptr<Submodel> make_bag_of_embeddings(const Options& options) {
  return std::make_unique<model::BagOfEmbeddings>(options.integer("vocab_size"),
                                                  options.integer("dim"), options.real("init_std"));
}

}  // namespace dac::plugins
