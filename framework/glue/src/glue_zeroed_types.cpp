// The leave-one-type-out table: the drop in each task's score when one agreement type's
// embedding is zeroed at evaluation, median over the runs that were scored that way.
#include "dac/glue/glue_zeroed_types.hpp"

#include <fmt/format.h>

#include <map>
#include <tuple>

#include "dac/glue/uncertainty.hpp"
#include "dac/summary.hpp"

namespace dac::glue {

std::string zeroed_types_markdown(const std::vector<ModelRuns>& models) {
  ResultTable table;
  for (const char* column :
       {"model", "task", "split", "metric", "type", "full", "zeroed", "drop", "runs"})
    table.add_column(column);
  for (const ModelRuns& model : models) {
    // (task, split, metric, type) -> the runs' full and zeroed scores.
    std::map<std::tuple<std::string, std::string, std::string, std::string>,
             std::pair<std::vector<double>, std::vector<double>>>
        scores;
    for (const GlueRunResult& run : model.runs)
      for (const auto& [type, score] : run.zeroed) {
        auto& [full, zeroed] = scores[{run.task, run.split, run.headline, type}];
        full.push_back(run.metrics.at(run.headline));
        zeroed.push_back(score);
      }
    for (const auto& [key, values] : scores) {
      const auto& [task, split, metric, type] = key;
      const double full = seed_spread(values.first).median;
      const double zeroed = seed_spread(values.second).median;
      table.rows.push_back({{"model", model.label},
                            {"task", task},
                            {"split", split},
                            {"metric", metric},
                            {"type", type},
                            {"full", fmt::format("{:.2f}", full)},
                            {"zeroed", fmt::format("{:.2f}", zeroed)},
                            {"drop", fmt::format("{:.2f}", full - zeroed)},
                            {"runs", std::to_string(values.first.size())}});
    }
  }
  if (table.rows.empty()) return "";
  return "\n## Agreement types zeroed at evaluation\n\n" + to_markdown(table) +
         "\nfull: the median headline score over the runs; zeroed: the median of the same runs "
         "scored again after the last epoch with that type's agreement chunks left out of the dev "
         "batches (its agreement embedding zero); drop = full − zeroed.\n";
}

}  // namespace dac::glue
