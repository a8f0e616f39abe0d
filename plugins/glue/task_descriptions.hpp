// The nine GLUE tasks as data: each one's standard folder, the file of every split, where its
// sentences and label are, its label texts (or score range, for regression) and its metrics.
// One loader reads them all.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dac::glue_tasks {

struct ColumnSpec {
  std::string name;             // in a header line
  std::optional<int> position;  // 0-based, in a file without one (none: the header is needed)
};

struct SplitFile {
  std::string split;     // "train", "validation", "validation_matched", "test", ...
  std::string file;      // the standard file name: "dev.tsv", "dev_matched.tsv", ...
  bool header = true;    // the file starts with a header line
  bool labelled = true;  // test files have no labels
};

struct ScoreRange {
  double min = 0;
  double max = 0;
};

struct TaskDescription {
  std::string name;     // plugin name: "cola", "mnli", ...
  std::string folder;   // standard folder under the GLUE root: "CoLA", "MNLI", ...
  std::string summary;  // one line for `dacrun plugins`
  std::vector<SplitFile> splits;
  ColumnSpec sentence_a;
  std::optional<ColumnSpec> sentence_b;  // none for single-sentence tasks
  ColumnSpec label;
  std::vector<std::string> label_texts;  // by class index; empty for regression
  ScoreRange scores;                     // the regression label's range
  std::vector<std::string> metrics;      // the headline metric first
  // Rows with too few columns are skipped rather than errors, as the reference GLUE processors do
  // for QQP (its train file has a few).
  bool skip_short_rows = false;
};

const std::vector<TaskDescription>& task_descriptions();
// The description called `name`; nullptr when there is none.
const TaskDescription* find_task_description(std::string_view name);

}  // namespace dac::glue_tasks
