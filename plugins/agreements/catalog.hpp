// The built-in agreement extractors: each one's plugin spec (name, version, summary, config
// schema) and factory, in the order `dacrun` lists them (the default four first).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dac/config.hpp"
#include "dac/kinds/agreement_extractor.hpp"
#include "dac/registry.hpp"

namespace dac::agreements {

struct ExtractorEntry {
  PluginSpec spec;
  std::function<std::unique_ptr<AgreementExtractor>(const Options&)> make;
};

const std::vector<ExtractorEntry>& built_in_extractors();

// The names of the default four extractors of the method: subject_verb, verb_object,
// adjective_noun, determiner_noun.
const std::vector<std::string>& default_extractor_names();

// The extractor `name` configured by `table` (validated against its schema at `path`).
std::unique_ptr<AgreementExtractor> make_extractor(std::string_view name,
                                                   const ConfigNode& table = ConfigNode::table(),
                                                   const std::string& path = "extractor");

}  // namespace dac::agreements
