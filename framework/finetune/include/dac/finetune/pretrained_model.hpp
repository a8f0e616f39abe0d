// Finding a pretrained model from what a user points at (a checkpoint file, a pretrain stage's
// folder or a run folder) and rebuilding its encoder with the weights. No torch in this header.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "dac/config.hpp"
#include "dac/text/vocab.hpp"

namespace dac {

class Encoder;
class PluginHost;

namespace finetune {

struct PretrainedModel {
  std::filesystem::path checkpoint;  // the file the weights come from
  std::string label;                 // a readable name: the run or stage folder's name
  ConfigNode encoder;                // the encoder plugin table (name and sizes)
  std::string vocab_text;            // vocab.txt's contents
  std::string normalizer;            // the normaliser plugin's name
  // The pretraining budget and provenance: hours, steps, tokens, flops, seed, device. From the
  // stage's training.toml when it is there, else the checkpoint's counters.
  ConfigNode pretraining = ConfigNode::table();
  // The annotator plugin table its pretraining data was prepared with (the stage's
  // annotator.toml); an empty table when there is none. Fine-tuning annotates its sentences with
  // it when the encoder reads agreement chunks.
  ConfigNode annotator = ConfigNode::table();
};

// `path` is a checkpoint file, a pretrain stage folder (checkpoints/latest.ckpt inside), or a
// run folder (run.toml listing exactly one stage of kind pretrain, or naming it with `stage`).
// A UserError saying what was looked for otherwise.
PretrainedModel locate_pretrained_model(const std::filesystem::path& path,
                                        const std::string& stage = "");

// The vocabulary stored with the model (vocab_text), named after its checkpoint in errors.
text::Vocab pretrained_vocab(const PretrainedModel& model);

// The encoder built by its plugin from `model.encoder`, with the checkpoint's weights, on the
// CPU (callers move it).
std::shared_ptr<Encoder> load_pretrained_encoder(const PretrainedModel& model, PluginHost& plugins);

}  // namespace finetune
}  // namespace dac
