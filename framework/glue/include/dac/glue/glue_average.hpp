// The GLUE score table's columns in the recipe's order and the GLUE average: the mean of nine
// numbers (MNLI matched, MNLI mismatched, QQP, QNLI, SST-2, CoLA, STS-B, MRPC, RTE; WNLI is left
// out). With some missing the average is partial and says so. No torch.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dac::glue {

struct GlueColumn {
  std::string task;    // task plugin name: "mnli", "qqp", ...
  std::string split;   // the dev split scored: "validation", "validation_matched", ...
  std::string metric;  // the headline metric: "accuracy", "f1", "matthews", "pearson"
  std::string header;  // the table header: "MNLI-m", "MNLI-mm", "QQP", ...
};

// The nine columns, in the order of the recipe's table.
const std::vector<GlueColumn>& glue_columns();

struct GlueAverage {
  double value = 0;                  // mean of the columns present (0 when none is)
  int present = 0;                   // columns that had a score
  int expected = 9;                  // columns of the full average
  std::vector<std::string> missing;  // headers of the absent columns
  bool partial() const { return present < expected; }
  // "80.12", or "71.30 (partial: 6 of 9; missing MNLI-m, MNLI-mm, QQP)", or "n/a".
  std::string format() const;
};

// `scores` maps column headers (GlueColumn::header) to scores in percent.
GlueAverage glue_average(const std::map<std::string, double>& scores);

}  // namespace dac::glue
