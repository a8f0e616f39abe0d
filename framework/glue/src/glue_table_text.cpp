// The GLUE results table rendered as Markdown (scores, run counts, differences, published
// reference rows, legend, notes) and as CSV, both through dac::ResultTable.
#include "dac/glue/glue_table_text.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "dac/summary.hpp"
#include "dac/svg_elements.hpp"

namespace dac::glue {
namespace {

const std::string kNone = "–";
const std::string kMinus = "−";

bool is_average(const TableColumn& column) {
  return column.kind == TableColumn::Kind::Average;
}

// One decimal, a typographic minus for negative values, no "-0.0".
std::string score_text(double value) {
  std::string text = fmt::format("{:.1f}", value);
  if (text == "-0.0") return "0.0";
  if (text.front() == '-') return kMinus + text.substr(1);
  return text;
}

// One decimal with its sign: "+1.2", "−0.4", "0.0".
std::string signed_text(double value) {
  const std::string text = score_text(value);
  return text == "0.0" || text.rfind(kMinus, 0) == 0 ? text : "+" + text;
}

std::string interval_text(const Interval& interval, std::string (*number)(double)) {
  return "[" + number(interval.low) + ", " + number(interval.high) + "]";
}

std::string score_cell(const TableCell& cell) {
  if (!cell.has_value()) return kNone;
  std::string text;
  if (cell.average) {
    text = cell.average->format();
  } else {
    text = score_text(cell.spread->median);
    if (cell.spread->runs > 1)
      text += " (" + score_text(cell.spread->min) + "–" + score_text(cell.spread->max) + ")";
  }
  if (cell.interval) text += " " + interval_text(*cell.interval, score_text);
  return text;
}

std::string difference_cell(const TableCell& cell) {
  if (!cell.difference) return kNone;
  std::string text = signed_text(*cell.difference);
  if (cell.difference_interval) text += " " + interval_text(*cell.difference_interval, signed_text);
  return text;
}

std::string budget_text(const std::optional<double>& value, bool hours) {
  if (!value) return kNone;
  if (hours) return *value >= 1 ? fmt::format("{:.1f}", *value) : fmt::format("{:.2g}", *value);
  return svg::compact_number(*value, std::fabs(*value) / 100);
}

// Shortest text that reads back as the same double; "" for none.
std::string number_field(const std::optional<double>& value) {
  if (!value || !std::isfinite(*value)) return "";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, *value);
  return std::string(buffer, result.ptr);
}

// A table with a "model" column, then `leading` columns, then one per table column kept by
// `keep`; `cell` renders a row's cell.
template <typename Keep, typename Cell>
ResultTable model_table(const GlueTable& table, const std::vector<const TableRow*>& rows,
                        const std::vector<std::string>& leading, Keep keep, Cell cell) {
  ResultTable out;
  out.add_column("model");
  for (const std::string& column : leading) out.add_column(column);
  for (const TableColumn& column : table.columns)
    if (keep(column)) out.add_column(column.header);
  for (const TableRow* row : rows) {
    std::map<std::string, std::string> cells{{"model", row->label}};
    for (std::size_t c = 0; c < table.columns.size(); ++c)
      if (keep(table.columns[c])) cells[table.columns[c].header] = cell(*row, c);
    out.rows.push_back(std::move(cells));
  }
  return out;
}

std::vector<const TableRow*> all_rows(const GlueTable& table) {
  std::vector<const TableRow*> rows;
  for (const TableRow& row : table.rows) rows.push_back(&row);
  return rows;
}

std::string scores_section(const GlueTable& table) {
  ResultTable scores = model_table(
      table, all_rows(table), {}, [](const TableColumn&) { return true; },
      [](const TableRow& row, std::size_t c) { return score_cell(row.cells[c]); });
  scores.add_column("pretraining hours");
  scores.add_column("pretraining tokens");
  scores.add_column("pretraining FLOPs");
  scores.add_column("pretraining device");
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const PretrainingBudget& budget = table.rows[r].budget;
    auto& cells = scores.rows[r];
    cells["pretraining hours"] = budget_text(budget.hours, true);
    cells["pretraining tokens"] = budget_text(budget.tokens, false);
    cells["pretraining FLOPs"] = budget_text(budget.flops, false);
    cells["pretraining device"] = budget.device.empty() ? kNone : budget.device;
  }
  const int percent = static_cast<int>(std::lround(table.bootstrap.level * 100));
  return "## GLUE dev scores\n\n" + to_markdown(scores) +
         fmt::format(
             "\nEach cell: the median over the model's fine-tuning runs (min–max over the runs) "
             "[{}% percentile bootstrap interval of the median over dev examples, {} resamples, "
             "seed {}]; the runs per cell are counted below. GLUE avg: the mean of the medians of "
             "the nine GLUE columns (WNLI and other tasks left out), partial when some are "
             "missing, its interval from resampling every column. {}: no runs. Pretraining: "
             "median over the runs.\n",
             percent, table.bootstrap.resamples, table.bootstrap.seed, kNone);
}

std::string run_counts_section(const GlueTable& table) {
  const ResultTable counts = model_table(
      table, all_rows(table), {}, [](const TableColumn& column) { return !is_average(column); },
      [](const TableRow& row, std::size_t c) {
        const auto& spread = row.cells[c].spread;
        return spread ? std::to_string(spread->runs) : "0";
      });
  return "\n### Runs per cell\n\n" + to_markdown(counts);
}

std::string differences_section(const GlueTable& table) {
  std::vector<const TableRow*> rows;
  for (const TableRow& row : table.rows)
    if (row.label != table.baseline) rows.push_back(&row);
  if (table.baseline.empty() || rows.empty()) return "";
  const ResultTable differences = model_table(
      table, rows, {}, [](const TableColumn&) { return true; },
      [](const TableRow& row, std::size_t c) { return difference_cell(row.cells[c]); });
  const int percent = static_cast<int>(std::lround(table.bootstrap.level * 100));
  return fmt::format("\n### Differences to {}\n\n", table.baseline) + to_markdown(differences) +
         fmt::format(
             "\nEach cell: the model's median minus {}'s [{}% paired bootstrap interval: both "
             "models scored on the same resamples of the same dev examples]. {}: a model lacks "
             "the column.\n",
             table.baseline, percent, kNone);
}

std::string published_section(const GlueTable& table) {
  ResultTable published;
  published.add_column("model");
  for (const TableColumn& column : table.columns)
    if (column.kind != TableColumn::Kind::Other) published.add_column(column.header);
  for (const PublishedGlueRow& row : published_glue_rows()) {
    std::map<std::string, std::string> cells{{"model", row.label}};
    for (std::size_t c = 0; c < glue_columns().size(); ++c)
      cells[glue_columns()[c].header] = score_text(row.scores[c]);
    for (const TableColumn& column : table.columns)
      if (is_average(column)) cells[column.header] = score_text(row.average);
    published.rows.push_back(std::move(cells));
  }
  return "\n### Published reference numbers (not run here)\n\n" + to_markdown(published) +
         "\nGLUE dev numbers as published for Crammed BERT and BERT-base (as listed in the "
         "Crammed BERT recipe); single numbers, not medians with intervals.\n";
}

std::string notes_section(const GlueTable& table) {
  if (table.notes.empty()) return "";
  std::string text = "\n### Notes\n\n";
  for (const std::string& note : table.notes) text += "- " + note + "\n";
  return text;
}

}  // namespace

std::string glue_table_markdown(const GlueTable& table) {
  return scores_section(table) + run_counts_section(table) + differences_section(table) +
         published_section(table) + notes_section(table);
}

std::string glue_table_csv(const GlueTable& table) {
  ResultTable csv;
  for (const char* column : {"source",
                             "model",
                             "column",
                             "task",
                             "split",
                             "metric",
                             "median",
                             "min",
                             "max",
                             "runs",
                             "interval_low",
                             "interval_high",
                             "level",
                             "difference",
                             "difference_low",
                             "difference_high",
                             "baseline",
                             "columns_present",
                             "columns_expected",
                             "pretraining_hours",
                             "pretraining_steps",
                             "pretraining_tokens",
                             "pretraining_flops",
                             "pretraining_device"})
    csv.add_column(column);

  for (const TableRow& row : table.rows) {
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      const TableColumn& column = table.columns[c];
      const TableCell& cell = row.cells[c];
      std::map<std::string, std::string> fields = {
          {"source", "measured"},
          {"model", row.label},
          {"column", column.header},
          {"task", column.task},
          {"split", column.split},
          {"metric", column.metric},
          {"pretraining_hours", number_field(row.budget.hours)},
          {"pretraining_steps", number_field(row.budget.steps)},
          {"pretraining_tokens", number_field(row.budget.tokens)},
          {"pretraining_flops", number_field(row.budget.flops)},
          {"pretraining_device", row.budget.device},
      };
      if (cell.has_value()) fields["median"] = number_field(cell.value());
      if (cell.spread) {
        fields["min"] = number_field(cell.spread->min);
        fields["max"] = number_field(cell.spread->max);
        fields["runs"] = std::to_string(cell.spread->runs);
      }
      if (cell.average) {
        fields["columns_present"] = std::to_string(cell.average->present);
        fields["columns_expected"] = std::to_string(cell.average->expected);
      }
      if (cell.interval) {
        fields["interval_low"] = number_field(cell.interval->low);
        fields["interval_high"] = number_field(cell.interval->high);
      }
      if (cell.interval || cell.difference_interval)
        fields["level"] = number_field(table.bootstrap.level);
      if (cell.difference) {
        fields["difference"] = number_field(cell.difference);
        fields["baseline"] = table.baseline;
      }
      if (cell.difference_interval) {
        fields["difference_low"] = number_field(cell.difference_interval->low);
        fields["difference_high"] = number_field(cell.difference_interval->high);
      }
      csv.rows.push_back(std::move(fields));
    }
  }

  for (const PublishedGlueRow& row : published_glue_rows()) {
    for (std::size_t c = 0; c < glue_columns().size(); ++c) {
      const GlueColumn& column = glue_columns()[c];
      csv.rows.push_back({{"source", "published"},
                          {"model", row.label},
                          {"column", column.header},
                          {"task", column.task},
                          {"split", column.split},
                          {"metric", column.metric},
                          {"median", number_field(row.scores[c])}});
    }
    csv.rows.push_back({{"source", "published"},
                        {"model", row.label},
                        {"column", kGlueAverageHeader},
                        {"median", number_field(row.average)},
                        {"columns_present", "9"},
                        {"columns_expected", "9"}});
  }
  return to_csv(csv);
}

}  // namespace dac::glue
