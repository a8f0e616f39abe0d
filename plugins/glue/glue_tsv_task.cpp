// Loading a GLUE task's splits from its tab-separated files, and scoring predictions.
#include "glue_tsv_task.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>

#include "dac/error.hpp"
#include "dac/glue/glue_results.hpp"
#include "tsv_file.hpp"

namespace dac::glue_tasks {

namespace {

constexpr const char* kDownloadScript = "download_glue_data.py";

// Where a file's needed fields are, and how many columns every row must have.
struct ColumnIndexes {
  int sentence_a = 0;
  std::optional<int> sentence_b;
  std::optional<int> label;  // none for unlabelled files
  std::size_t expected = 0;
};

// The needed columns found by name in `header`, or (for a file without one, `header` null) at
// their positions.
ColumnIndexes find_columns(const TaskDescription& task, bool labelled,
                           const std::vector<std::string>* header, const TsvFile& file) {
  auto index_of = [&](const ColumnSpec& column) -> int {
    if (header) {
      const auto found = std::find(header->begin(), header->end(), column.name);
      if (found == header->end())
        throw UserError(fmt::format("{}: the header has no column '{}' (its columns: {})",
                                    file.where(), column.name, fmt::join(*header, ", ")));
      return static_cast<int>(found - header->begin());
    }
    if (!column.position)
      throw UserError(fmt::format(
          "{}: task {} finds column '{}' by the header's names, and this file is read without "
          "a header line (set `header` to true)",
          file.path().string(), task.name, column.name));
    return *column.position;
  };
  ColumnIndexes indexes;
  indexes.sentence_a = index_of(task.sentence_a);
  if (task.sentence_b) indexes.sentence_b = index_of(*task.sentence_b);
  if (labelled) indexes.label = index_of(task.label);
  const int last =
      std::max({indexes.sentence_a, indexes.sentence_b.value_or(0), indexes.label.value_or(0)});
  indexes.expected = header ? header->size() : static_cast<std::size_t>(last) + 1;
  return indexes;
}

// The class index of a label text, or the score of a regression label.
double parse_label(const TaskDescription& task, const std::string& text, const TsvFile& file) {
  if (task.label_texts.empty()) {
    double score = 0;
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, score);
    if (error == std::errc() && stop == end && score >= task.scores.min && score <= task.scores.max)
      return score;
    throw UserError(fmt::format("{}: label '{}' is not a score from {} to {}", file.where(), text,
                                task.scores.min, task.scores.max));
  }
  const auto found = std::find(task.label_texts.begin(), task.label_texts.end(), text);
  if (found == task.label_texts.end())
    throw UserError(fmt::format("{}: label '{}' is not one of the labels of {}: {}", file.where(),
                                text, task.name, fmt::join(task.label_texts, ", ")));
  return static_cast<double>(found - task.label_texts.begin());
}

}  // namespace

GlueTsvTask::GlueTsvTask(TaskDescription description, TaskSettings settings)
    : description_(std::move(description)), settings_(std::move(settings)) {}

int GlueTsvTask::num_labels() const {
  return description_.label_texts.empty() ? 1 : static_cast<int>(description_.label_texts.size());
}

std::vector<std::string> GlueTsvTask::splits() const {
  std::vector<std::string> names;
  for (const SplitFile& split : description_.splits) names.push_back(split.split);
  return names;
}

const SplitFile& GlueTsvTask::split_file(std::string_view split) const {
  for (const SplitFile& file : description_.splits)
    if (file.split == split) return file;
  throw UserError(fmt::format("task {} has no split '{}'; its splits are {}", description_.name,
                              split, fmt::join(splits(), ", ")));
}

std::string GlueTsvTask::expected_layout() const {
  std::vector<std::string> files;
  for (const SplitFile& split : description_.splits) {
    const auto configured = settings_.files.find(split.split);
    files.push_back(configured == settings_.files.end() ? split.file : configured->second);
  }
  const std::string root = settings_.root.empty() ? "<root>" : settings_.root.string();
  return fmt::format("{}/{}/{{{}}}", root, settings_.folder, fmt::join(files, ", "));
}

std::filesystem::path GlueTsvTask::existing_file(const SplitFile& split) const {
  const auto configured = settings_.files.find(split.split);
  const std::string& name = configured == settings_.files.end() ? split.file : configured->second;
  if (settings_.root.empty())
    throw UserError(fmt::format(
        "task {}: `root` is not set; set it to the folder that holds the GLUE data, laid out as "
        "{} the way the standard GLUE download script {} creates it",
        description_.name, expected_layout(), kDownloadScript));
  const std::filesystem::path folder = settings_.root / settings_.folder;
  const std::filesystem::path file = folder / name;
  if (!std::filesystem::is_directory(folder))
    throw UserError(fmt::format(
        "task {}: expected {} for split {}, but there is no folder {}; the standard GLUE "
        "download script {} creates the layout {} (set `root` and `folder` to where the data is)",
        description_.name, file.string(), split.split, folder.string(), kDownloadScript,
        expected_layout()));
  if (!std::filesystem::is_regular_file(file))
    throw UserError(fmt::format(
        "task {}: expected {} for split {}, which does not exist; the standard GLUE download "
        "script {} creates the layout {}",
        description_.name, file.string(), split.split, kDownloadScript, expected_layout()));
  return file;
}

std::vector<GlueExample> GlueTsvTask::load(std::string_view split_name) const {
  const SplitFile& split = split_file(split_name);
  TsvFile file(existing_file(split));
  std::vector<std::string> fields;
  std::optional<std::vector<std::string>> header;
  if (split.header && settings_.header) {
    if (!file.next(fields)) return {};
    header = fields;
  }
  const ColumnIndexes columns =
      find_columns(description_, split.labelled, header ? &*header : nullptr, file);
  std::vector<GlueExample> examples;
  for (std::int64_t row = 0; file.next(fields); ++row) {
    if (settings_.max_examples > 0 &&
        examples.size() >= static_cast<std::size_t>(settings_.max_examples))
      break;
    if (fields.size() < columns.expected) {
      if (description_.skip_short_rows) continue;
      throw UserError(fmt::format("{}: expected {} columns, found {}", file.where(),
                                  columns.expected, fields.size()));
    }
    GlueExample example;
    example.sentence_a = std::move(fields[columns.sentence_a]);
    if (columns.sentence_b) example.sentence_b = std::move(fields[*columns.sentence_b]);
    if (columns.label) example.label = parse_label(description_, fields[*columns.label], file);
    example.index = row;
    examples.push_back(std::move(example));
  }
  return examples;
}

std::map<std::string, double> GlueTsvTask::score(const std::vector<double>& predictions,
                                                 const std::vector<GlueExample>& gold) const {
  std::vector<double> gold_labels;
  gold_labels.reserve(gold.size());
  for (const GlueExample& example : gold) gold_labels.push_back(example.label);
  std::map<std::string, double> scores;
  for (const std::string& metric : description_.metrics)
    scores[metric] = glue::metric_percent(metric, predictions, gold_labels);
  return scores;
}

}  // namespace dac::glue_tasks
