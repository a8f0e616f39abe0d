// The agreement report of an experiment: gates, projection norms, attention and probing per
// variant.
#include "dac/glue/experiment_agreement_report.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "dac/config.hpp"
#include "dac/glue/experiment_runs.hpp"
#include "dac/summary.hpp"

namespace dac::glue {

namespace fs = std::filesystem;

namespace {

// The result table of a finished stage (its stage.toml's [result]), or nothing.
std::optional<ConfigNode> stage_result(const fs::path& stage_dir) {
  if (!fs::exists(stage_dir / "stage.toml")) return std::nullopt;
  const ConfigNode record = parse_toml_file(stage_dir / "stage.toml");
  const ConfigNode* result = record.find("result");
  if (result == nullptr || !result->is_table()) return std::nullopt;
  return *result;
}

// Adds `result`'s numbers whose key starts with one of `prefixes` as columns "<column prefix>key".
bool add_numbers(const ConfigNode& result, const std::vector<std::string>& prefixes,
                 const std::string& column_prefix, ResultTable& table,
                 std::map<std::string, std::string>& row) {
  bool added = false;
  for (const auto& [key, value] : result.entries()) {
    if (!value.is_number()) continue;
    if (!std::any_of(prefixes.begin(), prefixes.end(),
                     [&](const std::string& prefix) { return key.starts_with(prefix); }))
      continue;
    const std::string column = column_prefix + key;
    table.add_column(column);
    row[column] = fmt::format("{:.4g}", value.as_float());
    added = true;
  }
  return added;
}

}  // namespace

std::optional<fs::path> write_experiment_agreement_report(
    const fs::path& experiment_dir, std::vector<std::string> run_folder_names) {
  ResultTable table;
  table.add_column("variant");
  bool any = false;
  for (const ExperimentRun& run : read_experiment_runs(experiment_dir, run_folder_names)) {
    std::map<std::string, std::string> row;
    row["variant"] = run.variant;
    bool has_values = false;
    for (const RunStage& stage : run.stages) {
      const std::optional<ConfigNode> result = stage_result(stage.dir);
      if (!result) continue;
      if (stage.kind == "pretrain")
        has_values |= add_numbers(*result, {"gate_", "projection_norm_"}, "", table, row);
      else if (stage.kind == "attention_study")
        has_values |= add_numbers(*result, {"attention_"}, "", table, row);
      else if (stage.kind == "probe")
        has_values |= add_numbers(*result, {""}, "probe ", table, row);
    }
    if (!has_values) continue;
    table.rows.push_back(std::move(row));
    any = true;
  }
  if (!any) return std::nullopt;
  // The variant, then gates and norms, then probing.
  std::stable_partition(table.columns.begin() + 1, table.columns.end(),
                        [](const std::string& column) { return !column.starts_with("probe "); });
  const fs::path markdown = experiment_dir / "agreement_report.md";
  write_result_table(table, experiment_dir / "agreement_report.csv", markdown);
  return markdown;
}

}  // namespace dac::glue
