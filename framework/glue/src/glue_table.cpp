// Builds the GLUE results table: columns from the runs, per model and column the seed spread, the
// bootstrap distribution of the median over dev examples and its interval, differences to the
// baseline with paired intervals, and the GLUE average with its own intervals.
#include "dac/glue/glue_table.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "dac/error.hpp"

namespace dac::glue {
namespace {

// A bootstrap distribution (one value per resample), or absent.
using Distribution = std::optional<std::vector<double>>;

// What is computed for one model and column besides the cell itself.
struct CellData {
  std::vector<const GlueRunResult*> runs;
  Distribution medians;                       // bootstrap distribution of the median
  const std::vector<double>* gold = nullptr;  // the shared dev examples, when the runs share them
};

// 64-bit FNV-1a: a hash that is the same everywhere (unlike std::hash).
std::uint64_t stable_hash(const std::string& text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

// SplitMix64's finaliser: spreads a seed over all bits.
std::uint64_t mix(std::uint64_t value) {
  value += 0x9e3779b97f4a7c15ull;
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ull;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebull;
  return value ^ (value >> 31);
}

// Each column resamples its dev set from its own seed, so columns are resampled independently
// (and a model and the baseline see the same resamples of a column).
BootstrapOptions column_bootstrap(const BootstrapOptions& options, const std::string& header) {
  BootstrapOptions column = options;
  column.seed = mix(options.seed ^ stable_hash(header));
  return column;
}

std::string run_name(const GlueRunResult& run) {
  return fmt::format("model '{}', task '{}' ({}), fine-tuning seed {}", run.model, run.task,
                     run.split, run.finetune_seed);
}

double headline_score(const GlueRunResult& run) {
  const auto found = run.metrics.find(run.headline);
  if (found == run.metrics.end())
    throw UserError(run_name(run) + ": the headline metric '" + run.headline +
                    "' is not among its metrics");
  return found->second;
}

// The dev examples all runs share, or null when a run has no predictions or other gold labels.
const std::vector<double>* shared_gold(const std::vector<const GlueRunResult*>& runs) {
  for (const GlueRunResult* run : runs)
    if (run->predictions.empty() || run->predictions.size() != run->gold.size() ||
        run->gold != runs.front()->gold)
      return nullptr;
  return &runs.front()->gold;
}

std::vector<double> bootstrap_of(const std::vector<const GlueRunResult*>& runs,
                                 const std::string& metric, const BootstrapOptions& options) {
  std::vector<double> predictions, gold;
  const RunScore score = [&](std::size_t run, const std::vector<std::size_t>& indices) {
    predictions.resize(indices.size());
    gold.resize(indices.size());
    for (std::size_t i = 0; i < indices.size(); ++i) {
      predictions[i] = runs[run]->predictions[indices[i]];
      gold[i] = runs[run]->gold[indices[i]];
    }
    return metric_percent(metric, predictions, gold);
  };
  return bootstrap_medians(runs.front()->gold.size(), runs.size(), score, options);
}

std::vector<double> difference_of(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> difference(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) difference[i] = a[i] - b[i];
  return difference;
}

// The element-wise mean of distributions (all of the same length); absent when any is absent.
Distribution mean_of(const std::vector<const Distribution*>& distributions) {
  if (distributions.empty()) return std::nullopt;
  for (const Distribution* distribution : distributions)
    if (!*distribution) return std::nullopt;
  std::vector<double> mean((*distributions.front())->size(), 0.0);
  for (const Distribution* distribution : distributions)
    for (std::size_t i = 0; i < mean.size(); ++i) mean[i] += (**distribution)[i];
  for (double& value : mean) value /= static_cast<double>(distributions.size());
  return mean;
}

std::string other_header(const TableColumn& column) {
  return column.split == "validation" ? column.task : column.task + " (" + column.split + ")";
}

std::optional<double> median_of_field(const std::vector<GlueRunResult>& runs,
                                      const std::string& key) {
  std::vector<double> values;
  for (const GlueRunResult& run : runs)
    if (const ConfigNode* value = run.pretraining.find(key); value && value->is_number())
      values.push_back(value->as_float());
  if (values.empty()) return std::nullopt;
  return seed_spread(std::move(values)).median;
}

class TableBuilder {
 public:
  TableBuilder(const std::vector<ModelRuns>& models, const GlueTableOptions& options)
      : models_(models), options_(options) {
    table_.columns = table_columns(models);
    table_.baseline = options.baseline;
    table_.bootstrap = options.bootstrap;
    average_ = table_.column_index(kGlueAverageHeader);
  }

  GlueTable build() {
    data_.assign(models_.size(), std::vector<CellData>(table_.columns.size()));
    for (std::size_t m = 0; m < models_.size(); ++m) add_row(m);
    if (!options_.baseline.empty()) add_differences(baseline_index());
    return std::move(table_);
  }

 private:
  void note(const std::string& model, const std::string& header, const std::string& text) {
    table_.notes.push_back(model + ", " + header + ": " + text);
  }

  void add_row(std::size_t m) {
    const ModelRuns& model = models_[m];
    TableRow row{model.label, pretraining_budget(model.runs),
                 std::vector<TableCell>(table_.columns.size())};
    for (std::size_t c = 0; c < table_.columns.size(); ++c) {
      if (c == average_) continue;
      fill_cell(model, table_.columns[c], row.cells[c], data_[m][c]);
    }
    fill_average(model.label, row.cells, data_[m]);
    table_.rows.push_back(std::move(row));
  }

  void fill_cell(const ModelRuns& model, const TableColumn& column, TableCell& cell,
                 CellData& data) {
    for (const GlueRunResult& run : model.runs)
      if (column.matches(run)) data.runs.push_back(&run);
    if (data.runs.empty()) return;
    std::vector<double> scores;
    for (const GlueRunResult* run : data.runs) scores.push_back(headline_score(*run));
    cell.spread = seed_spread(std::move(scores));
    data.gold = shared_gold(data.runs);
    if (!data.gold) {
      note(model.label, column.header,
           "no bootstrap interval: a run has no predictions or the runs differ in dev examples");
      return;
    }
    const BootstrapOptions bootstrap = column_bootstrap(options_.bootstrap, column.header);
    data.medians = bootstrap_of(data.runs, column.metric, bootstrap);
    cell.interval = percentile_interval(*data.medians, bootstrap.level);
  }

  // The medians of the nine GLUE columns present, by header.
  std::map<std::string, double> glue_medians(const std::vector<TableCell>& cells) const {
    std::map<std::string, double> medians;
    for (std::size_t c = 0; c < table_.columns.size(); ++c)
      if (table_.columns[c].kind == TableColumn::Kind::Glue && cells[c].spread)
        medians[table_.columns[c].header] = cells[c].spread->median;
    return medians;
  }

  void fill_average(const std::string& label, std::vector<TableCell>& cells,
                    std::vector<CellData>& data) {
    TableCell& cell = cells[average_];
    cell.average = glue_average(glue_medians(cells));
    if (cell.average->present == 0) return;
    std::vector<const Distribution*> distributions;
    for (std::size_t c = 0; c < table_.columns.size(); ++c)
      if (table_.columns[c].kind == TableColumn::Kind::Glue && cells[c].spread)
        distributions.push_back(&data[c].medians);
    data[average_].medians = mean_of(distributions);
    if (data[average_].medians)
      cell.interval = percentile_interval(*data[average_].medians, options_.bootstrap.level);
    else
      note(label, kGlueAverageHeader, "no bootstrap interval: a column has none");
  }

  std::size_t baseline_index() const {
    std::vector<std::string> labels;
    for (std::size_t m = 0; m < models_.size(); ++m) {
      if (models_[m].label == options_.baseline) return m;
      labels.push_back(models_[m].label);
    }
    throw UserError(fmt::format("the baseline model '{}' has no runs (models: {})",
                                options_.baseline, fmt::join(labels, ", ")));
  }

  void add_differences(std::size_t baseline) {
    for (std::size_t m = 0; m < models_.size(); ++m) {
      if (m == baseline) continue;
      std::vector<Distribution> paired(table_.columns.size());
      for (std::size_t c = 0; c < table_.columns.size(); ++c)
        if (c != average_) paired[c] = add_difference(m, baseline, c);
      add_average_difference(m, baseline, paired);
    }
  }

  // Fills the difference of one cell; returns its paired distribution when there is one.
  Distribution add_difference(std::size_t m, std::size_t baseline, std::size_t c) {
    TableCell& cell = table_.rows[m].cells[c];
    const TableCell& base = table_.rows[baseline].cells[c];
    if (!cell.spread || !base.spread) return std::nullopt;
    cell.difference = cell.spread->median - base.spread->median;
    const CellData& data = data_[m][c];
    const CellData& base_data = data_[baseline][c];
    if (!data.medians || !base_data.medians || *data.gold != *base_data.gold) {
      note(models_[m].label, table_.columns[c].header,
           "no paired interval against " + options_.baseline + ": " +
               (data.medians && base_data.medians ? "the models were scored on other dev examples"
                                                  : "a bootstrap interval is missing"));
      return std::nullopt;
    }
    std::vector<double> difference = difference_of(*data.medians, *base_data.medians);
    cell.difference_interval = percentile_interval(difference, options_.bootstrap.level);
    return difference;
  }

  void add_average_difference(std::size_t m, std::size_t baseline,
                              const std::vector<Distribution>& paired) {
    TableCell& cell = table_.rows[m].cells[average_];
    const TableCell& base = table_.rows[baseline].cells[average_];
    if (!cell.has_value() || !base.has_value()) return;
    if (cell.average->missing != base.average->missing) {
      note(models_[m].label, kGlueAverageHeader,
           "no difference against " + options_.baseline + ": the averages cover other columns");
      return;
    }
    cell.difference = cell.average->value - base.average->value;
    std::vector<const Distribution*> distributions;
    for (std::size_t c = 0; c < table_.columns.size(); ++c)
      if (table_.columns[c].kind == TableColumn::Kind::Glue && cell_present(m, c))
        distributions.push_back(&paired[c]);
    if (const Distribution mean = mean_of(distributions))
      cell.difference_interval = percentile_interval(*mean, options_.bootstrap.level);
    else
      note(models_[m].label, kGlueAverageHeader,
           "no paired interval against " + options_.baseline + ": a column has none");
  }

  bool cell_present(std::size_t m, std::size_t c) const {
    return table_.rows[m].cells[c].spread.has_value();
  }

  const std::vector<ModelRuns>& models_;
  const GlueTableOptions& options_;
  GlueTable table_;
  std::size_t average_ = 0;
  std::vector<std::vector<CellData>> data_;  // [model][column]
};

}  // namespace

bool TableColumn::matches(const GlueRunResult& run) const {
  return kind != Kind::Average && run.task == task && run.split == split && run.headline == metric;
}

double TableCell::value() const {
  if (spread) return spread->median;
  return average ? average->value : 0;
}

const TableRow* GlueTable::row(const std::string& label) const {
  for (const TableRow& candidate : rows)
    if (candidate.label == label) return &candidate;
  return nullptr;
}

std::size_t GlueTable::column_index(const std::string& header) const {
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (columns[c].header == header) return c;
  return columns.size();
}

std::vector<ModelRuns> group_runs_by_model(std::vector<GlueRunResult> runs) {
  std::vector<ModelRuns> models;
  for (GlueRunResult& run : runs) {
    auto found = std::find_if(models.begin(), models.end(),
                              [&](const ModelRuns& model) { return model.label == run.model; });
    if (found == models.end()) found = models.insert(models.end(), ModelRuns{run.model, {}});
    found->runs.push_back(std::move(run));
  }
  return models;
}

std::vector<TableColumn> table_columns(const std::vector<ModelRuns>& models) {
  std::vector<TableColumn> columns;
  for (const GlueColumn& glue : glue_columns())
    columns.push_back({TableColumn::Kind::Glue, glue.header, glue.task, glue.split, glue.metric});
  columns.push_back({TableColumn::Kind::Average, kGlueAverageHeader, "", "", ""});

  std::set<std::tuple<std::string, std::string, std::string>> others;
  for (const ModelRuns& model : models)
    for (const GlueRunResult& run : model.runs)
      if (std::none_of(columns.begin(), columns.end(),
                       [&](const TableColumn& column) { return column.matches(run); }))
        others.emplace(run.task, run.split, run.headline);
  for (const auto& [task, split, metric] : others) {
    TableColumn column{TableColumn::Kind::Other, "", task, split, metric};
    column.header = other_header(column);
    // Two headline metrics of one task and split: the metric tells them apart.
    const auto same_header = [&](const TableColumn& c) { return c.header == column.header; };
    if (std::any_of(columns.begin(), columns.end(), same_header)) column.header += " " + metric;
    while (std::any_of(columns.begin(), columns.end(), same_header)) column.header += "'";
    columns.push_back(std::move(column));
  }
  return columns;
}

PretrainingBudget pretraining_budget(const std::vector<GlueRunResult>& runs) {
  PretrainingBudget budget;
  budget.hours = median_of_field(runs, "hours");
  budget.steps = median_of_field(runs, "steps");
  budget.tokens = median_of_field(runs, "tokens");
  budget.flops = median_of_field(runs, "flops");
  std::vector<std::string> devices;
  for (const GlueRunResult& run : runs)
    if (const ConfigNode* device = run.pretraining.find("device");
        device && device->type() == ConfigNode::Type::String &&
        std::find(devices.begin(), devices.end(), device->as_string()) == devices.end())
      devices.push_back(device->as_string());
  budget.device = fmt::format("{}", fmt::join(devices, ", "));
  return budget;
}

GlueTable build_glue_table(const std::vector<ModelRuns>& models, const GlueTableOptions& options) {
  return TableBuilder(models, options).build();
}

}  // namespace dac::glue
