// The leave-one-type-out section of the GLUE report: for every model and scored split whose runs
// were also scored with one agreement type zeroed (zero_agreement_types), the median score, the
// median score without each type and the drop. No torch.
#pragma once

#include <string>
#include <vector>

#include "dac/glue/glue_table.hpp"

namespace dac::glue {

// A Markdown section with one row per model, task, split and agreement type; "" when no run
// holds zeroed scores.
std::string zeroed_types_markdown(const std::vector<ModelRuns>& models);

}  // namespace dac::glue
