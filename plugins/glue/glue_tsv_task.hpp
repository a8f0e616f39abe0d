// A GLUE task read from its tab-separated files as its description says, with the configured
// root, folder, file names, header setting and example limit; scored with the dac_glue metrics.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dac/kinds/glue_task.hpp"
#include "task_descriptions.hpp"

namespace dac::glue_tasks {

struct TaskSettings {
  std::filesystem::path root;                // holds <folder>/; empty when not configured
  std::string folder;                        // the task's folder under root
  std::map<std::string, std::string> files;  // split -> file name replacing the standard one
  bool header = true;                        // false: no file starts with a header line
  std::int64_t max_examples = 0;             // the first rows of each split; 0 = all
};

class GlueTsvTask : public GlueTask {
 public:
  GlueTsvTask(TaskDescription description, TaskSettings settings);

  int num_labels() const override;
  std::vector<GlueExample> load(std::string_view split) const override;
  std::vector<std::string> splits() const override;
  std::vector<std::string> metric_names() const override { return description_.metrics; }
  std::map<std::string, double> score(const std::vector<double>& predictions,
                                      const std::vector<GlueExample>& gold) const override;

 private:
  const SplitFile& split_file(std::string_view split) const;
  // The split's file; a UserError naming the expected path when root, folder or file is missing.
  std::filesystem::path existing_file(const SplitFile& split) const;
  // "<root>/CoLA/{train.tsv, dev.tsv, test.tsv}", the layout the task expects.
  std::string expected_layout() const;

  TaskDescription description_;
  TaskSettings settings_;
};

}  // namespace dac::glue_tasks
