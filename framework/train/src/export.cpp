// The encoder export: weights as safetensors (floating tensors as float32, integer buffers in
// their own type), the architecture and training record as JSON, and the vocabulary.
#include "dac/train/export.hpp"

#include <torch/torch.h>

#include <map>
#include <stdexcept>
#include <vector>

#include "dac/error.hpp"
#include "dac/safetensors.hpp"
#include "dac/summary.hpp"

namespace dac::train {

namespace {

constexpr const char* kExportFormat = "dacrun-encoder-1";

// A contiguous CPU copy in a type safetensors names, and that name.
std::pair<torch::Tensor, std::string> exportable(const torch::Tensor& tensor) {
  const torch::Tensor cpu = tensor.detach().to(torch::kCPU);
  if (cpu.is_floating_point()) return {cpu.to(torch::kFloat32).contiguous(), "F32"};
  switch (cpu.scalar_type()) {
    case torch::kBool:
      return {cpu.contiguous(), "BOOL"};
    case torch::kUInt8:
      return {cpu.contiguous(), "U8"};
    case torch::kInt8:
      return {cpu.contiguous(), "I8"};
    case torch::kInt16:
      return {cpu.contiguous(), "I16"};
    case torch::kInt32:
      return {cpu.contiguous(), "I32"};
    default:
      return {cpu.to(torch::kInt64).contiguous(), "I64"};
  }
}

}  // namespace

void export_encoder(const std::filesystem::path& folder, const Encoder& encoder,
                    const std::string& vocab_text, const std::string& normalizer,
                    const ConfigNode& training) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) throw UserError("cannot create '" + folder.string() + "': " + error.message());

  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> keep_alive;
  std::vector<SafetensorsEntry> entries;
  auto add = [&](const std::string& name, const torch::Tensor& tensor) {
    auto [copy, dtype] = exportable(tensor);
    SafetensorsEntry entry;
    entry.name = name;
    entry.dtype = dtype;
    entry.shape.assign(copy.sizes().begin(), copy.sizes().end());
    entry.data = copy.data_ptr();
    entry.bytes = static_cast<std::size_t>(copy.numel()) * copy.element_size();
    entries.push_back(std::move(entry));
    keep_alive.push_back(std::move(copy));
  };
  for (const auto& item : encoder.named_parameters(/*recurse=*/true)) add(item.key(), item.value());
  for (const auto& item : encoder.named_buffers(/*recurse=*/true)) add(item.key(), item.value());

  const std::filesystem::path weights = folder / "encoder.safetensors";
  try {
    write_safetensors(weights, entries, {{"format", "pt"}, {"dacrun_format", kExportFormat}});
  } catch (const UserError&) {
    throw;
  } catch (const std::exception& e) {
    throw UserError("cannot write '" + weights.string() + "': " + e.what());
  }

  ConfigNode description = ConfigNode::table();
  description.set("encoder", encoder.describe());
  description.set("normalizer", ConfigNode::string(normalizer));
  description.set("training", training);
  description.set("format", ConfigNode::string(kExportFormat));
  write_file_atomically(folder / "encoder.json", to_json(description) + "\n");
  write_file_atomically(folder / "vocab.txt", vocab_text);
}

}  // namespace dac::train
