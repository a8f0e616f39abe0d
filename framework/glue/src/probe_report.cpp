// Accuracy of agreement probing per file, per agreement type and in total, and its tables and
// JSON.
#include "dac/glue/probe_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "dac/error.hpp"
#include "dac/summary.hpp"

namespace dac::glue {
namespace {

const std::vector<std::string> kColumns = {"scope", "name", "correct", "pairs", "accuracy (%)"};

void count(AccuracyCount& into, bool correct) {
  ++into.pairs;
  into.correct += correct ? 1 : 0;
}

std::map<std::string, std::string> table_row(const std::string& scope, const AccuracyCount& count) {
  return {{"scope", scope},
          {"name", scope == "total" ? "" : count.name},
          {"correct", std::to_string(count.correct)},
          {"pairs", std::to_string(count.pairs)},
          {"accuracy (%)", fmt::format("{:.2f}", count.percent())}};
}

ResultTable accuracy_table(const ProbeAccuracy& accuracy) {
  ResultTable table;
  table.columns = kColumns;
  for (const AccuracyCount& file : accuracy.files) table.rows.push_back(table_row("file", file));
  for (const AccuracyCount& type : accuracy.types) table.rows.push_back(table_row("type", type));
  table.rows.push_back(table_row("total", accuracy.total));
  return table;
}

ConfigNode count_config(const AccuracyCount& count) {
  ConfigNode table = ConfigNode::table();
  table.set("name", ConfigNode::string(count.name));
  table.set("correct", ConfigNode::integer(static_cast<std::int64_t>(count.correct)));
  table.set("pairs", ConfigNode::integer(static_cast<std::int64_t>(count.pairs)));
  table.set("accuracy", ConfigNode::real(count.percent()));
  return table;
}

ConfigNode counts_config(const std::vector<AccuracyCount>& counts) {
  ConfigNode array = ConfigNode::array();
  for (const AccuracyCount& count : counts) array.push_back(count_config(count));
  return array;
}

ConfigNode pair_config(const MinimalPair& pair, const PairScore& score) {
  ConfigNode table = ConfigNode::table();
  table.set("line", ConfigNode::integer(static_cast<std::int64_t>(pair.line)));
  table.set("UID", ConfigNode::string(pair.uid));
  table.set("pairID", ConfigNode::string(pair.pair_id));
  table.set("agreement_type", ConfigNode::string(pair.agreement_type));
  table.set("sentence_good", ConfigNode::string(pair.good));
  table.set("sentence_bad", ConfigNode::string(pair.bad));
  table.set("pll_good", ConfigNode::real(score.good));
  table.set("pll_bad", ConfigNode::real(score.bad));
  table.set("correct", ConfigNode::boolean(score.correct()));
  return table;
}

}  // namespace

ProbeAccuracy probe_accuracy(const std::vector<ScoredPairs>& files) {
  ProbeAccuracy accuracy;
  std::map<std::string, AccuracyCount> types;
  for (const ScoredPairs& file : files) {
    if (file.scores.size() != file.pairs.size())
      throw UserError(fmt::format("{}: {} scores for {} minimal pairs", file.path,
                                  file.scores.size(), file.pairs.size()));
    AccuracyCount per_file{.name = std::filesystem::path(file.path).filename().string()};
    for (std::size_t i = 0; i < file.pairs.size(); ++i) {
      const bool correct = file.scores[i].correct();
      const std::string& type = file.pairs[i].agreement_type;
      AccuracyCount& per_type = types.try_emplace(type, AccuracyCount{.name = type}).first->second;
      count(per_file, correct);
      count(per_type, correct);
      count(accuracy.total, correct);
    }
    accuracy.files.push_back(per_file);
  }
  for (auto& [name, per_type] : types) accuracy.types.push_back(per_type);
  return accuracy;
}

std::string probe_table_text(const ProbeAccuracy& accuracy) {
  const ResultTable table = accuracy_table(accuracy);
  std::map<std::string, std::size_t> widths;
  for (const std::string& column : table.columns) {
    widths[column] = column.size();
    for (const auto& row : table.rows)
      widths[column] = std::max(widths[column], row.at(column).size());
  }
  // Text columns (scope, name) to the left, numbers to the right.
  auto line = [&](auto cell_of) {
    std::string out;
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      const std::string& column = table.columns[c];
      const std::string cell = cell_of(column);
      out += c == 0 ? "" : "  ";
      out += c < 2 ? fmt::format("{:<{}}", cell, widths[column])
                   : fmt::format("{:>{}}", cell, widths[column]);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line([](const std::string& column) { return column; });
  for (const auto& row : table.rows)
    out += line([&](const std::string& column) { return row.at(column); });
  return out;
}

std::string probe_table_markdown(const ProbeAccuracy& accuracy) {
  return to_markdown(accuracy_table(accuracy));
}

ConfigNode probe_results_config(const std::vector<ScoredPairs>& files,
                                const ProbeAccuracy& accuracy) {
  ConfigNode summary = ConfigNode::table();
  summary.set("files", counts_config(accuracy.files));
  summary.set("types", counts_config(accuracy.types));
  summary.set("total", count_config(accuracy.total));
  ConfigNode scored = ConfigNode::array();
  for (const ScoredPairs& file : files) {
    ConfigNode pairs = ConfigNode::array();
    for (std::size_t i = 0; i < file.pairs.size() && i < file.scores.size(); ++i)
      pairs.push_back(pair_config(file.pairs[i], file.scores[i]));
    ConfigNode entry = ConfigNode::table();
    entry.set("path", ConfigNode::string(file.path));
    entry.set("pairs", std::move(pairs));
    scored.push_back(std::move(entry));
  }
  ConfigNode results = ConfigNode::table();
  results.set("accuracy", std::move(summary));
  results.set("files", std::move(scored));
  return results;
}

}  // namespace dac::glue
