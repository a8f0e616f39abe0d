// Registration of the file corpora (text_files, jsonl, wikiextractor, gutenberg) as `corpus`
// plugins: their config keys and the mapping onto dac_text's corpus options.
#pragma once

#include "dac/plugin.hpp"

namespace dac::plugins {

void register_corpora(PluginRegistrar& registrar);

}  // namespace dac::plugins
