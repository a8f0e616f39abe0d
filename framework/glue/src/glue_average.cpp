// The GLUE table's nine columns and their average; a column without a (finite) score is missing
// and makes the average partial.
#include "dac/glue/glue_average.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <cmath>

namespace dac::glue {

const std::vector<GlueColumn>& glue_columns() {
  static const std::vector<GlueColumn> columns = {
      {"mnli", "validation_matched", "accuracy", "MNLI-m"},
      {"mnli", "validation_mismatched", "accuracy", "MNLI-mm"},
      {"qqp", "validation", "f1", "QQP"},
      {"qnli", "validation", "accuracy", "QNLI"},
      {"sst2", "validation", "accuracy", "SST-2"},
      {"cola", "validation", "matthews", "CoLA"},
      {"stsb", "validation", "pearson", "STS-B"},
      {"mrpc", "validation", "f1", "MRPC"},
      {"rte", "validation", "accuracy", "RTE"},
  };
  return columns;
}

std::string GlueAverage::format() const {
  if (present == 0) return "n/a";
  std::string text = fmt::format("{:.2f}", value);
  if (partial())
    text += fmt::format(" (partial: {} of {}; missing {})", present, expected,
                        fmt::join(missing, ", "));
  return text;
}

GlueAverage glue_average(const std::map<std::string, double>& scores) {
  GlueAverage average;
  average.expected = static_cast<int>(glue_columns().size());
  double sum = 0;
  for (const GlueColumn& column : glue_columns()) {
    const auto score = scores.find(column.header);
    if (score == scores.end() || !std::isfinite(score->second)) {
      average.missing.push_back(column.header);
      continue;
    }
    sum += score->second;
    ++average.present;
  }
  if (average.present > 0) average.value = sum / average.present;
  return average;
}

}  // namespace dac::glue
