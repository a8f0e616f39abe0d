// The training and validation loss curves of a pretraining run as an SVG chart.
#pragma once

#include <filesystem>
#include <string>

#include "dac/train/pretrainer.hpp"

namespace dac::plugins {

void write_loss_plot(const std::filesystem::path& path, const train::PretrainOutcome& outcome,
                     const std::string& title);

}  // namespace dac::plugins
