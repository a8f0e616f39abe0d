// annotation.toml, the prepare stage's report on annotation: the annotator's statistics, and per
// chunk type the chunks kept in rows and those lost at row boundaries; its top-level numbers also
// go to the stage result.
#pragma once

#include <string>
#include <vector>

#include "dac/config.hpp"
#include "dac/text/row_packer.hpp"

namespace dac::plugins {

ConfigNode annotation_report(const ConfigNode& annotator_statistics,
                             const std::vector<std::string>& types,
                             const text::PackingStats& packing, double annotate_seconds);

// The report's top-level numbers as `annotation_<key>` entries of `result`.
void add_annotation_summary(const ConfigNode& report, ConfigNode& result);

}  // namespace dac::plugins
