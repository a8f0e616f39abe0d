// The prepare stage's annotation report.
#include "annotation_report.hpp"

namespace dac::plugins {

namespace {

ConfigNode count_at(const std::vector<std::uint64_t>& counts, std::size_t type) {
  return ConfigNode::integer(static_cast<std::int64_t>(type < counts.size() ? counts[type] : 0));
}

}  // namespace

ConfigNode annotation_report(const ConfigNode& annotator_statistics,
                             const std::vector<std::string>& types,
                             const text::PackingStats& packing, double annotate_seconds) {
  ConfigNode report = annotator_statistics.is_table() ? annotator_statistics : ConfigNode::table();
  report.set("annotate_wall_seconds", ConfigNode::real(annotate_seconds));
  report.set("chunks_kept_in_rows",
             ConfigNode::integer(static_cast<std::int64_t>(packing.chunks_kept)));
  report.set("chunks_cut_at_row_boundaries",
             ConfigNode::integer(static_cast<std::int64_t>(packing.chunks_cut)));
  for (std::size_t t = 0; t < types.size(); ++t) {
    ConfigNode* type = report.find(types[t]);
    if (!type || !type->is_table()) type = &report.set(types[t], ConfigNode::table());
    type->set("kept_in_rows", count_at(packing.chunks_kept_by_type, t));
    type->set("cut_at_row_boundaries", count_at(packing.chunks_cut_by_type, t));
  }
  return report;
}

void add_annotation_summary(const ConfigNode& report, ConfigNode& result) {
  for (const auto& [key, value] : report.entries())
    if (value.is_number()) result.set("annotation_" + key, value);
}

}  // namespace dac::plugins
