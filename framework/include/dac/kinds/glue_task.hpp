// Plugin kind `glue_task`: one GLUE task. It reads its own files (its config names the folder),
// says how many labels it has, and scores predictions with the task's metrics.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace dac {

struct GlueExample {
  std::string sentence_a;
  std::string sentence_b;  // empty for single-sentence tasks
  double label = 0;        // class index, or the score for regression
  std::int64_t index = 0;  // row in the source file
};

class GlueTask {
 public:
  static constexpr std::string_view kind = "glue_task";
  virtual ~GlueTask() = default;

  // 1 for regression (STS-B), else the number of classes.
  virtual int num_labels() const = 0;
  // "train", "validation" (or e.g. "validation_matched"), "test". Bad files are UserErrors naming
  // file and line.
  virtual std::vector<GlueExample> load(std::string_view split) const = 0;
  virtual std::vector<std::string> splits() const = 0;
  // Metric name -> value; the first of metric_names() is the task's headline metric.
  virtual std::vector<std::string> metric_names() const = 0;
  virtual std::map<std::string, double> score(const std::vector<double>& predictions,
                                              const std::vector<GlueExample>& gold) const = 0;
};

}  // namespace dac
