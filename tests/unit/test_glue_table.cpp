// Tests of the GLUE results table: columns, cells, the partial average, differences to a baseline
// with paired intervals, the Markdown and CSV renderings, the charts and the written report.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "dac/error.hpp"
#include "dac/glue/experiment_glue_report.hpp"
#include "dac/glue/glue_plots.hpp"
#include "dac/glue/glue_report.hpp"
#include "dac/glue/glue_results.hpp"
#include "dac/glue/glue_table.hpp"
#include "dac/glue/glue_table_text.hpp"
#include "dac/interval_chart.hpp"
#include "support/test_support.hpp"

namespace {

using dac::ConfigNode;
using dac::glue::GlueRunResult;
using dac::glue::GlueTable;
using dac::glue::ModelRuns;
using dac::test::contains;

const std::string kLabelWithComma = "dacbert, no agreements";

// Binary gold labels 0, 1, 0, 1, ...
std::vector<double> alternating_gold(std::size_t examples) {
  std::vector<double> gold(examples);
  for (std::size_t i = 0; i < examples; ++i) gold[i] = static_cast<double>(i % 2);
  return gold;
}

// A run whose predictions are right on its first `right` examples and wrong on the others.
GlueRunResult run_of(const std::string& model, const std::string& task, const std::string& split,
                     const std::string& headline, std::int64_t seed,
                     const std::vector<double>& gold, std::size_t right) {
  GlueRunResult run;
  run.model = model;
  run.task = task;
  run.split = split;
  run.headline = headline;
  run.finetune_seed = seed;
  run.pretrain_seed = 0;
  run.gold = gold;
  run.predictions = gold;
  for (std::size_t i = right; i < gold.size(); ++i) run.predictions[i] = 1 - gold[i];
  run.metrics[headline] = dac::glue::metric_percent(headline, run.predictions, run.gold);
  run.curve = {{1, 0.7, run.metrics[headline] - 4}, {2, 0.5, run.metrics[headline]}};
  run.pretraining.set("hours", ConfigNode::real(24));
  run.pretraining.set("tokens", ConfigNode::real(3e9));
  run.pretraining.set("flops", ConfigNode::real(1.5e18));
  run.pretraining.set("device", ConfigNode::string("A6000"));
  return run;
}

// crammed_bert: RTE at 60, 65 and 70 % and MRPC; dacbert: RTE at 80, 85 and 90 %, MRPC, WNLI and
// a generated task on its test split; a third model's RTE runs use other dev examples.
std::vector<ModelRuns> models() {
  const auto rte = alternating_gold(200);
  const auto mrpc = alternating_gold(100);
  std::vector<GlueRunResult> runs;
  for (std::int64_t seed = 0; seed < 3; ++seed) {
    const auto step = static_cast<std::size_t>(seed);
    runs.push_back(
        run_of("crammed_bert", "rte", "validation", "accuracy", seed, rte, 120 + 10 * step));
    runs.push_back(run_of("crammed_bert", "mrpc", "validation", "f1", seed, mrpc, 70 + 2 * step));
    runs.push_back(run_of("dacbert", "rte", "validation", "accuracy", seed, rte, 160 + 10 * step));
    runs.push_back(run_of("dacbert", "mrpc", "validation", "f1", seed, mrpc, 74 + 2 * step));
    runs.push_back(
        run_of(kLabelWithComma, "rte", "validation", "accuracy", seed, alternating_gold(150), 90));
  }
  runs.push_back(run_of("dacbert", "wnli", "validation", "accuracy", 0, alternating_gold(70), 40));
  runs.push_back(run_of("dacbert", "pairs", "test", "accuracy", 0, alternating_gold(50), 45));
  runs.push_back(run_of("dacbert", "pairs", "test", "accuracy", 1, alternating_gold(50), 40));
  return dac::glue::group_runs_by_model(std::move(runs));
}

GlueTable table() {
  return dac::glue::build_glue_table(models(), {"crammed_bert", {200, 0.95, 0}});
}

const dac::glue::TableCell& cell(const GlueTable& table, const std::string& model,
                                 const std::string& header) {
  const auto* row = table.row(model);
  EXPECT_NE(row, nullptr) << model;
  const std::size_t column = table.column_index(header);
  EXPECT_LT(column, table.columns.size()) << header;
  return row->cells.at(column);
}

// RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
    } else {
      field += c;
    }
  }
  return records;
}

// The CSV record of `model` and `column` as header -> field.
std::map<std::string, std::string> csv_record(const std::string& csv, const std::string& model,
                                              const std::string& column) {
  const auto records = parse_csv(csv);
  const auto& header = records.at(0);
  const auto at = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  for (const auto& record : records) {
    if (record.at(at("model")) != model || record.at(at("column")) != column) continue;
    std::map<std::string, std::string> fields;
    for (std::size_t i = 0; i < header.size(); ++i) fields[header[i]] = record.at(i);
    return fields;
  }
  ADD_FAILURE() << "no CSV record for " << model << " / " << column;
  return {};
}

TEST(GlueTable, ColumnsFollowTheRecipeThenTheAverageThenOtherTasks) {
  std::vector<std::string> headers;
  for (const auto& column : table().columns) headers.push_back(column.header);
  EXPECT_EQ(headers,
            (std::vector<std::string>{"MNLI-m", "MNLI-mm", "QQP", "QNLI", "SST-2", "CoLA", "STS-B",
                                      "MRPC", "RTE", "GLUE avg", "pairs (test)", "wnli"}));
}

TEST(GlueTable, CellsHoldTheMedianSpreadAndInterval) {
  const GlueTable glue = table();
  const auto& rte = cell(glue, "crammed_bert", "RTE");
  ASSERT_TRUE(rte.spread);
  EXPECT_DOUBLE_EQ(rte.spread->median, 65);
  EXPECT_DOUBLE_EQ(rte.spread->min, 60);
  EXPECT_DOUBLE_EQ(rte.spread->max, 70);
  EXPECT_EQ(rte.spread->runs, 3u);
  ASSERT_TRUE(rte.interval);
  EXPECT_LT(rte.interval->low, 65);
  EXPECT_GT(rte.interval->high, 65);
  const auto& pairs = cell(glue, "dacbert", "pairs (test)");
  ASSERT_TRUE(pairs.spread);
  EXPECT_DOUBLE_EQ(pairs.spread->median, 85);  // of 90 and 80
  EXPECT_FALSE(cell(glue, "crammed_bert", "wnli").has_value());
  EXPECT_FALSE(cell(glue, "crammed_bert", "QQP").has_value());
}

TEST(GlueTable, TheAverageOfMissingColumnsIsPartial) {
  const GlueTable glue = table();
  const auto& average = cell(glue, "crammed_bert", "GLUE avg");
  ASSERT_TRUE(average.average);
  EXPECT_EQ(average.average->present, 2);
  EXPECT_TRUE(average.average->partial());
  const double mrpc = cell(glue, "crammed_bert", "MRPC").spread->median;
  EXPECT_DOUBLE_EQ(average.average->value, (65 + mrpc) / 2);
  ASSERT_TRUE(average.interval);
  EXPECT_LT(average.interval->low, average.average->value);
  EXPECT_GT(average.interval->high, average.average->value);
  EXPECT_PRED2(contains, dac::glue::glue_table_markdown(glue), "(partial: 2 of 9; missing MNLI-m");
}

TEST(GlueTable, DifferencesAreTakenAgainstTheBaseline) {
  const GlueTable glue = table();
  const auto& rte = cell(glue, "dacbert", "RTE");
  ASSERT_TRUE(rte.difference);
  EXPECT_DOUBLE_EQ(*rte.difference, 20);
  ASSERT_TRUE(rte.difference_interval);
  EXPECT_GT(rte.difference_interval->low, 0);
  EXPECT_LT(rte.difference_interval->low, 20);
  EXPECT_GT(rte.difference_interval->high, 20);
  const auto& average = cell(glue, "dacbert", "GLUE avg");
  ASSERT_TRUE(average.difference);
  EXPECT_DOUBLE_EQ(*average.difference, cell(glue, "dacbert", "GLUE avg").average->value -
                                            cell(glue, "crammed_bert", "GLUE avg").average->value);
  EXPECT_TRUE(average.difference_interval);
  EXPECT_FALSE(cell(glue, "crammed_bert", "RTE").difference);
  EXPECT_FALSE(cell(glue, "dacbert", "wnli").difference);  // the baseline has no WNLI runs

  const std::string markdown = dac::glue::glue_table_markdown(glue);
  EXPECT_PRED2(contains, markdown, "### Differences to crammed_bert");
  EXPECT_PRED2(contains, markdown, "| +20.0 [+");
}

TEST(GlueTable, OtherDevExamplesGiveADifferenceWithoutAPairedInterval) {
  const GlueTable glue = table();
  const auto& rte = cell(glue, kLabelWithComma, "RTE");
  ASSERT_TRUE(rte.difference);
  EXPECT_DOUBLE_EQ(*rte.difference, 60 - 65);
  EXPECT_FALSE(rte.difference_interval);
  EXPECT_TRUE(rte.interval);
  const bool noted = std::any_of(glue.notes.begin(), glue.notes.end(), [](const std::string& n) {
    return contains(n, kLabelWithComma + ", RTE: no paired interval");
  });
  EXPECT_TRUE(noted);
  EXPECT_PRED2(contains, dac::glue::glue_table_markdown(glue), "| −5.0 |");
}

TEST(GlueTable, AnUnknownBaselineIsAUserError) {
  const std::string message = dac::test::error_of<dac::UserError>([] {
    dac::glue::build_glue_table(models(), {"bert_base", {}});
  });
  EXPECT_PRED2(contains, message, "'bert_base'");
  EXPECT_PRED2(contains, message, "crammed_bert, dacbert");
}

TEST(GlueTable, MarkdownShowsCellsBudgetsReferenceRowsAndTheLegend) {
  const std::string markdown = dac::glue::glue_table_markdown(table());
  EXPECT_PRED2(contains, markdown, "| 65.0 (60.0–70.0) [");
  EXPECT_PRED2(contains, markdown, "| 24.0 | 3G | 1.5e18 | A6000 |");
  EXPECT_PRED2(contains, markdown, "### Runs per cell");
  EXPECT_PRED2(contains, markdown, "Each cell: the median over the model's fine-tuning runs");
  EXPECT_PRED2(contains, markdown, "95% percentile bootstrap interval");
  EXPECT_PRED2(contains, markdown, "### Published reference numbers (not run here)");
  for (const auto& row : dac::glue::published_glue_rows())
    EXPECT_PRED2(contains, markdown, "| " + row.label + " |");
  EXPECT_PRED2(contains, markdown,
               "| Crammed BERT, first version (A6000, 24 h) | 83.9 | 84.1 | 87.3 | 89.5 | 92.2 | "
               "44.5 | 84.6 | 87.5 | 53.8 | 78.6 |");
  // crammed_bert has no QQP runs: its cell is a dash.
  EXPECT_PRED2(contains, markdown, "| crammed_bert | – | – | – |");
}

TEST(GlueTable, PublishedRowsAverageTheirNineColumns) {
  ASSERT_EQ(dac::glue::published_glue_rows().size(), 3u);
  for (const auto& row : dac::glue::published_glue_rows()) {
    double sum = 0;
    for (double score : row.scores) sum += score;
    EXPECT_NEAR(sum / 9, row.average, 0.051) << row.label;
  }
}

TEST(GlueTable, CsvCellsParseBack) {
  const GlueTable glue = table();
  const std::string csv = dac::glue::glue_table_csv(glue);
  const auto rte = csv_record(csv, "crammed_bert", "RTE");
  EXPECT_EQ(rte.at("source"), "measured");
  EXPECT_EQ(std::stod(rte.at("median")), 65);
  EXPECT_EQ(std::stod(rte.at("min")), 60);
  EXPECT_EQ(std::stod(rte.at("max")), 70);
  EXPECT_EQ(rte.at("runs"), "3");
  EXPECT_EQ(std::stod(rte.at("interval_low")), cell(glue, "crammed_bert", "RTE").interval->low);
  EXPECT_EQ(rte.at("pretraining_hours"), "24");
  EXPECT_EQ(rte.at("pretraining_device"), "A6000");

  const auto other = csv_record(csv, kLabelWithComma, "RTE");  // a quoted label
  EXPECT_EQ(std::stod(other.at("difference")), -5);
  EXPECT_EQ(other.at("baseline"), "crammed_bert");
  EXPECT_EQ(other.at("difference_low"), "");

  const auto average = csv_record(csv, "crammed_bert", "GLUE avg");
  EXPECT_EQ(average.at("columns_present"), "2");
  EXPECT_EQ(average.at("columns_expected"), "9");
  const auto published = csv_record(csv, "BERT-base, fully trained", "CoLA");
  EXPECT_EQ(published.at("source"), "published");
  EXPECT_EQ(std::stod(published.at("median")), 56.5);
}

TEST(GlueTable, TheScoresChartIsAnSvgWithEveryModel) {
  const std::string svg = dac::render_interval_svg(dac::glue::glue_scores_chart(table()));
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  for (const std::string label : {"crammed_bert", "dacbert", "dacbert, no agreements"})
    EXPECT_PRED2(contains, svg, ">" + label + "</text>");
  EXPECT_PRED2(contains, svg, ">RTE</text>");
  const auto count = [&](const std::string& part) {
    std::size_t n = 0;
    for (auto at = svg.find(part); at != std::string::npos; at = svg.find(part, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<text"), count("</text>"));
  EXPECT_EQ(count("<svg"), 1u);
  EXPECT_GT(count("<circle"), 5u);
}

TEST(GlueTable, AnIntervalChartWithoutValuesSaysSo) {
  dac::IntervalChart chart;
  chart.categories = {"RTE"};
  chart.series.push_back({"empty", {}, {}, {}, {}, {}, {}});
  EXPECT_PRED2(contains, dac::render_interval_svg(chart), ">no data</text>");
}

TEST(GlueTable, CurveChartsHaveOneSeriesPerRun) {
  const auto charts = dac::glue::glue_curve_charts(models());
  std::vector<std::string> stems;
  for (const auto& chart : charts) stems.push_back(chart.file_stem);
  EXPECT_EQ(stems, (std::vector<std::string>{"glue_curves_mrpc", "glue_curves_rte",
                                             "glue_curves_pairs_test", "glue_curves_wnli"}));
  const auto& rte = charts[1].chart;
  EXPECT_EQ(rte.series.size(), 9u);
  EXPECT_EQ(rte.series[0].label, "crammed_bert seed 0 (pretraining seed 0)");
  const std::string svg = dac::render_svg(rte);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_PRED2(contains, svg, "dacbert seed 2 (pretraining seed 0)");
}

TEST(GlueTable, TheReportWritesEveryFile) {
  dac::test::TempDir dir;
  const auto written =
      dac::glue::write_glue_report(dir / "report", models(), {"crammed_bert", {50, 0.95, 0}});
  std::vector<std::string> names;
  for (const auto& path : written) {
    EXPECT_TRUE(std::filesystem::is_regular_file(path)) << path;
    names.push_back(path.filename().string());
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"glue_table.md", "glue_table.csv", "glue_scores.svg",
                                      "glue_curves_mrpc.svg", "glue_curves_rte.svg",
                                      "glue_curves_pairs_test.svg", "glue_curves_wnli.svg"}));
  EXPECT_PRED2(contains, dac::test::read_file(written[0]), "## GLUE dev scores");
}

// An experiment folder with a run folder per variant, each pointing at its glue stage's results.
void write_experiment_run(const std::filesystem::path& experiment, const std::string& folder,
                          const std::string& variant, std::size_t right) {
  const std::filesystem::path stage = experiment / ".." / "stages" / ("glue-" + folder);
  dac::glue::write_glue_run_result(
      stage / "runs" / "rte" / "seed-0" / "validation.results.json",
      run_of("stage label", "rte", "validation", "accuracy", 0, alternating_gold(20), right));
  dac::test::write_file(experiment / folder / "run.toml", "variant = \"" + variant +
                                                              "\"\n\n[[stages]]\nname = \"glue\"\n"
                                                              "kind = \"glue\"\ndir = \"" +
                                                              stage.string() + "\"\n");
}

TEST(GlueTable, TheExperimentTableHasTheGivenRunsLabelledByVariant) {
  dac::test::TempDir dir;
  const std::filesystem::path experiment = dir / "runs" / "ablation";
  write_experiment_run(experiment, "ablation-crammed_bert-1", "crammed_bert", 10);
  write_experiment_run(experiment, "ablation-dacbert-2", "dacbert", 15);
  write_experiment_run(experiment, "ablation-dacbert-old", "dacbert", 20);  // an earlier config

  const auto table = dac::glue::write_experiment_glue_report(
      experiment, {"ablation-dacbert-2", "ablation-crammed_bert-1"});
  ASSERT_TRUE(table.has_value());
  EXPECT_EQ(*table, experiment / "glue_table.md");
  const std::string text = dac::test::read_file(*table);
  EXPECT_PRED2(contains, text, "| crammed_bert | ");
  EXPECT_PRED2(contains, text, "| dacbert | ");
  EXPECT_PRED2(contains, text, "75.0");   // dacbert: 15 of 20 right
  EXPECT_FALSE(contains(text, "100.0"));  // the earlier run is not in the table
  EXPECT_FALSE(contains(text, "stage label"));

  EXPECT_FALSE(dac::glue::write_experiment_glue_report(experiment, {"missing"}).has_value());
}

}  // namespace
