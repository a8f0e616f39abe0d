// The GLUE results table of an experiment, computed from fine-tuning runs: per model and column
// the median over runs, its min–max, a bootstrap interval over dev examples and, against a named
// baseline model, the difference of medians with a paired bootstrap interval; the GLUE average
// (partial when columns are missing) and the published reference numbers. No torch.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "dac/glue/glue_average.hpp"
#include "dac/glue/glue_results.hpp"
#include "dac/glue/uncertainty.hpp"

namespace dac::glue {

// One row of the table: a model and all of its fine-tuning runs (any tasks, fine-tuning seeds and
// pretraining seeds; the runs of one column are pooled).
struct ModelRuns {
  std::string label;
  std::vector<GlueRunResult> runs;
};

// Groups runs by GlueRunResult::model, models in first-seen order.
std::vector<ModelRuns> group_runs_by_model(std::vector<GlueRunResult> runs);

// The header of the GLUE average column.
inline constexpr const char* kGlueAverageHeader = "GLUE avg";

struct TableColumn {
  enum class Kind {
    Glue,     // one of the nine columns of glue_columns()
    Average,  // the GLUE average
    Other,    // another task's headline metric (WNLI, a generated task, ...)
  };
  Kind kind = Kind::Glue;
  std::string header;  // "MNLI-m", "GLUE avg", "wnli", "pairs (test)", ...
  std::string task;    // the runs it holds: task, split and headline metric (empty: the average)
  std::string split;
  std::string metric;

  bool matches(const GlueRunResult& run) const;
};

// The nine GLUE columns in the recipe's order, the average, then one column per other
// (task, split, headline metric) among the runs, sorted by task, split and metric.
std::vector<TableColumn> table_columns(const std::vector<ModelRuns>& models);

// A model's pretraining budget, from its runs' `pretraining` tables: the median of each number
// over the runs that have it, and the devices seen.
struct PretrainingBudget {
  std::optional<double> hours;
  std::optional<double> steps;
  std::optional<double> tokens;
  std::optional<double> flops;
  std::string device;  // distinct devices, joined by ", "; empty when none is given
};
PretrainingBudget pretraining_budget(const std::vector<GlueRunResult>& runs);

struct TableCell {
  // Over the column's runs; absent when the model has none there. For the average column: absent
  // (see `average`).
  std::optional<SeedSpread> spread;
  // The GLUE average of the model's column medians (the average column only).
  std::optional<GlueAverage> average;
  // The percentile bootstrap interval of the median (of the average: of the mean of the column
  // medians, columns resampled independently); absent when the runs lack predictions or do not
  // share the same dev examples.
  std::optional<Interval> interval;
  // Median minus the baseline's median (average minus the baseline's average, when both cover the
  // same columns), and its paired bootstrap interval (only over identical dev examples).
  std::optional<double> difference;
  std::optional<Interval> difference_interval;

  bool has_value() const { return spread || (average && average->present > 0); }
  double value() const;  // the median, or the average
};

struct TableRow {
  std::string label;
  PretrainingBudget budget;
  std::vector<TableCell> cells;  // one per column
};

struct GlueTableOptions {
  std::string baseline;  // the label of the model differences are taken against; "" for none
  BootstrapOptions bootstrap;
};

struct GlueTable {
  std::vector<TableColumn> columns;
  std::vector<TableRow> rows;  // one per model, in the given order
  std::string baseline;
  BootstrapOptions bootstrap;
  // Why an interval or a difference is missing where values are present, one line each.
  std::vector<std::string> notes;

  const TableRow* row(const std::string& label) const;
  std::size_t column_index(const std::string& header) const;  // columns.size() when absent
};

// The table of `models`: a UserError when the baseline is named but not among them, or a run lacks
// its headline metric.
GlueTable build_glue_table(const std::vector<ModelRuns>& models,
                           const GlueTableOptions& options = {});

// A row of published GLUE dev numbers (not run here), aligned to glue_columns().
struct PublishedGlueRow {
  std::string label;
  std::array<double, 9> scores;  // in glue_columns() order
  double average;                // as published
};
// The three reference rows of the Crammed BERT recipe: Crammed BERT's first version, its released
// checkpoint, and BERT-base fully trained.
const std::vector<PublishedGlueRow>& published_glue_rows();

}  // namespace dac::glue
