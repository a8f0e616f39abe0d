// Locating a pretrained model (checkpoint file, pretrain stage folder, run folder) and loading
// its encoder with the checkpoint's weights.
#include "dac/finetune/pretrained_model.hpp"

#include <torch/torch.h>

#include <sstream>

#include "dac/error.hpp"
#include "dac/kinds/encoder.hpp"
#include "dac/plugin_host.hpp"
#include "dac/train/checkpoint.hpp"

namespace dac::finetune {

namespace fs = std::filesystem;

namespace {

constexpr const char* kStageCheckpoint = "checkpoints/latest.ckpt";

// The folder of the run's pretrain stage (or of the stage named `stage`).
fs::path stage_of_run(const fs::path& run, const std::string& stage) {
  const ConfigNode record = parse_toml_file(run / "run.toml");
  std::vector<fs::path> found;
  std::string names;
  if (const ConfigNode* stages = record.find("stages"))
    for (const ConfigNode& entry : stages->items()) {
      const ConfigNode* name = entry.find("name");
      const ConfigNode* kind = entry.find("kind");
      const ConfigNode* dir = entry.find("dir");
      if (name == nullptr || kind == nullptr || dir == nullptr) continue;
      names += (names.empty() ? "" : ", ") + name->as_string() + " (" + kind->as_string() + ")";
      const bool wanted =
          stage.empty() ? kind->as_string() == "pretrain" : name->as_string() == stage;
      if (wanted) found.push_back(dir->as_string());
    }
  if (found.size() == 1) return found.front();
  if (found.empty())
    throw UserError(run.string() + " is a run folder without " +
                    (stage.empty() ? std::string("a pretrain stage") : "a stage named " + stage) +
                    "; its stages: " + (names.empty() ? "none" : names));
  throw UserError(run.string() + " has several pretrain stages (" + names +
                  "); name the one to fine-tune");
}

// The encoder table as describe() wrote it, less what is not an option (the parameter count).
ConfigNode encoder_options(const std::string& encoder_toml, const fs::path& checkpoint) {
  ConfigNode table = parse_toml(encoder_toml, checkpoint.string() + " (encoder description)");
  table.erase("parameters");
  if (!table.contains("name"))
    throw UserError(checkpoint.string() + ": the encoder description names no encoder plugin");
  return table;
}

}  // namespace

PretrainedModel locate_pretrained_model(const fs::path& path, const std::string& stage) {
  if (!fs::exists(path))
    throw UserError("pretrained model '" + path.string() +
                    "' does not exist (give a checkpoint file, a pretrain stage folder or a run "
                    "folder)");
  PretrainedModel model;
  fs::path stage_dir;
  if (fs::is_regular_file(path)) {
    model.checkpoint = path;
    model.label = path.parent_path().filename() == "checkpoints"
                      ? path.parent_path().parent_path().filename().string()
                      : path.stem().string();
    if (path.parent_path().filename() == "checkpoints")
      stage_dir = path.parent_path().parent_path();
  } else if (fs::exists(path / "run.toml")) {
    stage_dir = stage_of_run(path, stage);
    model.label = fs::absolute(path).lexically_normal().filename().string();
  } else if (fs::exists(path / kStageCheckpoint)) {
    stage_dir = path;
    model.label = fs::absolute(path).lexically_normal().filename().string();
  } else {
    throw UserError("'" + path.string() +
                    "' is neither a checkpoint file, nor a pretrain stage folder (with " +
                    kStageCheckpoint + "), nor a run folder (with run.toml)");
  }
  if (model.checkpoint.empty()) {
    model.checkpoint = stage_dir / kStageCheckpoint;
    if (!fs::exists(model.checkpoint))
      throw UserError("the pretrain stage folder " + stage_dir.string() + " has no " +
                      kStageCheckpoint + " (has the stage run?)");
  }
  const train::CheckpointMeta meta = train::read_checkpoint_meta(model.checkpoint);
  model.encoder = encoder_options(meta.encoder_toml, model.checkpoint);
  model.vocab_text = meta.vocab_text;
  model.normalizer = meta.normalizer;
  if (model.vocab_text.empty()) throw UserError(model.checkpoint.string() + " holds no vocabulary");
  if (!stage_dir.empty() && fs::exists(stage_dir / "training.toml")) {
    model.pretraining = parse_toml_file(stage_dir / "training.toml");
    // The device the tables show: the pretraining run's, e.g. "cpu (2 threads)".
    const ConfigNode* compute = model.pretraining.find("compute");
    const ConfigNode* device = compute ? compute->find("device_name") : nullptr;
    if (device && !model.pretraining.contains("device")) model.pretraining.set("device", *device);
  } else {
    model.pretraining = meta.counters.to_table();
    model.pretraining.set("hours", ConfigNode::real(meta.counters.elapsed_s / 3600));
  }
  model.pretraining.set("checkpoint", ConfigNode::string(model.checkpoint.string()));
  if (!stage_dir.empty() && fs::exists(stage_dir / "annotator.toml"))
    model.annotator = parse_toml_file(stage_dir / "annotator.toml");
  return model;
}

text::Vocab pretrained_vocab(const PretrainedModel& model) {
  std::vector<std::string> tokens;
  std::istringstream lines(model.vocab_text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    tokens.push_back(line);
  }
  return text::Vocab(std::move(tokens), model.checkpoint.string() + " (vocabulary)");
}

std::shared_ptr<Encoder> load_pretrained_encoder(const PretrainedModel& model,
                                                 PluginHost& plugins) {
  std::shared_ptr<Encoder> encoder =
      plugins.create<Encoder>(model.encoder, model.checkpoint.string() + ": encoder");
  train::load_checkpoint(model.checkpoint, *encoder, /*optimizer=*/nullptr);
  return encoder;
}

}  // namespace dac::finetune
