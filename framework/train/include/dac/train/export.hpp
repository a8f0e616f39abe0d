// Exports a trained encoder for use outside dacrun: encoder.safetensors (float32 weights under
// their module names), encoder.json (the architecture and how it was trained) and vocab.txt.
#pragma once

#include <filesystem>
#include <string>

#include "dac/config.hpp"
#include "dac/kinds/encoder.hpp"

namespace dac::train {

// Writes the three files into `folder` (created). `training` is recorded under "training" in
// encoder.json (budget, counters, seed, device).
void export_encoder(const std::filesystem::path& folder, const Encoder& encoder,
                    const std::string& vocab_text, const std::string& normalizer,
                    const ConfigNode& training);

}  // namespace dac::train
