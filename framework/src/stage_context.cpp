// Look-ups a stage makes in its context: declared sections and input stages.
#include "dac/error.hpp"
#include "dac/kinds/stage.hpp"
#include "dac/suggest.hpp"

namespace dac {

const Options& StageContext::section(std::string_view name) const {
  for (const auto& section : setup_.sections)
    if (section.path() == name) return section;
  throw std::logic_error("stage '" + setup_.stage_name + "' reads section '" + std::string(name) +
                         "' without declaring it in PluginSpec::config_sections");
}

const StageInput& StageContext::input(std::string_view name) const {
  std::vector<std::string> names;
  for (const auto& input : setup_.inputs) {
    if (input.name == name) return input;
    names.push_back(input.name);
  }
  throw UserError("stage '" + setup_.stage_name + "' needs an input stage named '" +
                  std::string(name) + "'" + did_you_mean(name, names) +
                  "; its inputs are: " + join_names(names) + ". List it in `inputs`.");
}

const StageInput& StageContext::input_of_kind(std::string_view kind) const {
  std::vector<std::string> kinds;
  for (const auto& input : setup_.inputs) {
    if (input.kind == kind) return input;
    kinds.push_back(input.name + " (" + input.kind + ")");
  }
  throw UserError("stage '" + setup_.stage_name + "' needs an input stage of kind '" +
                  std::string(kind) + "'; its inputs are: " + join_names(kinds) +
                  ". Add one to its `inputs`.");
}

}  // namespace dac
