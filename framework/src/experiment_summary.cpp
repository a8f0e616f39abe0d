// The summary of an experiment: one row per run folder (variant, sweep point, status, timings and
// every stage's scalar results), written as summary.csv and summary.md.
#include <algorithm>

#include "dac/config.hpp"
#include "dac/records.hpp"
#include "dac/runner.hpp"
#include "dac/stage_state.hpp"
#include "dac/summary.hpp"

namespace dac {
namespace fs = std::filesystem;

namespace {

// Floats keep six significant digits in the tables; the stage's stage.toml has full precision.
std::string cell_text(const ConfigNode& value) {
  if (value.type() == ConfigNode::Type::String) return value.as_string();
  if (value.type() == ConfigNode::Type::Float) return format_number(value.as_float());
  return to_json(value);
}

void add_cells(const ConfigNode& table, const std::string& prefix,
               std::map<std::string, std::string>& row, ResultTable& summary) {
  for (const auto& [key, value] : table.entries()) {
    const std::string column = prefix + key;
    if (value.is_table()) {
      add_cells(value, column + ".", row, summary);
      continue;
    }
    summary.add_column(column);
    row[column] = cell_text(value);
  }
}

std::string text_of(const ConfigNode& table, std::string_view key) {
  const ConfigNode* value = table.find(key);
  return value ? cell_text(*value) : std::string();
}

}  // namespace

void write_experiment_summary(const fs::path& experiment_dir) {
  std::vector<fs::path> runs;
  for (const auto& item : fs::directory_iterator(experiment_dir))
    if (item.is_directory() && fs::exists(item.path() / "run.toml")) runs.push_back(item.path());
  std::sort(runs.begin(), runs.end());

  ResultTable summary;
  for (const char* column : {"run", "variant", "sweep", "status", "started", "finished"})
    summary.add_column(column);
  for (const auto& run_dir : runs) {
    const ConfigNode run = parse_toml_file(run_dir / "run.toml");
    std::map<std::string, std::string> row;
    row["run"] = run_dir.filename().string();
    for (const char* key : {"variant", "status", "started", "finished"})
      row[key] = text_of(run, key);
    if (const ConfigNode* sweep = run.find("sweep"); sweep && sweep->is_table()) {
      std::string point;
      for (const auto& [path, value] : sweep->entries())
        point += (point.empty() ? "" : "; ") + path + "=" + cell_text(value);
      row["sweep"] = point;
    }
    if (const ConfigNode* stages = run.find("stages"); stages && stages->is_array()) {
      for (const auto& stage : stages->items()) {
        const std::string name = text_of(stage, "name");
        const auto state = read_stage_state(fs::path(text_of(stage, "dir")));
        if (!state || state->hash != text_of(stage, "hash")) continue;
        summary.add_column(name + ".wall_s");
        row[name + ".wall_s"] = cell_text(ConfigNode::real(state->wall_s));
        add_cells(state->result, name + ".", row, summary);
      }
    }
    summary.rows.push_back(std::move(row));
  }
  write_result_table(summary, experiment_dir / "summary.csv", experiment_dir / "summary.md");
}

}  // namespace dac
