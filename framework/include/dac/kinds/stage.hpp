// Plugin kind `stage`: one step of an experiment (prepare, pretrain, glue, probe, ...). The runner
// builds a stage from its [[stages]] entry, gives it a StageContext (its folder, its inputs, the
// run's config, logging) and stores the result table it returns. A finished stage is reused by
// every run whose stage hash is the same.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "dac/config.hpp"
#include "dac/options.hpp"
#include "dac/records.hpp"

namespace dac {

class PluginHost;

// A finished stage this stage consumes.
struct StageInput {
  std::string name;
  std::string kind;
  std::string hash;
  std::filesystem::path dir;  // its output folder
  ConfigNode result;          // the table its run() returned
};

class StageContext {
 public:
  struct Setup {
    std::string stage_name;
    std::string hash;
    std::filesystem::path dir;
    bool resuming = false;
    std::uint64_t seed = 0;
    const ConfigNode* config = nullptr;  // the whole resolved run config
    std::vector<Options> sections;       // the declared sections, validated
    std::vector<StageInput> inputs;
    PluginHost* plugins = nullptr;
    RunLog* log = nullptr;
  };
  explicit StageContext(Setup setup) : setup_(std::move(setup)) {}

  const std::string& stage_name() const { return setup_.stage_name; }
  const std::string& hash() const { return setup_.hash; }
  // The stage's own output folder; it exists and survives for --resume.
  const std::filesystem::path& dir() const { return setup_.dir; }
  // True when continuing an unfinished run of this stage (--resume): pick up from what dir() holds.
  bool resuming() const { return setup_.resuming; }
  // The experiment's seed ([experiment] seed).
  std::uint64_t seed() const { return setup_.seed; }
  const ConfigNode& config() const { return *setup_.config; }
  // A top-level table the stage declared in PluginSpec::config_sections, validated.
  const Options& section(std::string_view name) const;
  const std::vector<StageInput>& inputs() const { return setup_.inputs; }
  // The input stage called `name`; a UserError if the stage has no such input.
  const StageInput& input(std::string_view name) const;
  // The first input of the given stage kind; a UserError naming the stage if there is none.
  const StageInput& input_of_kind(std::string_view kind) const;
  PluginHost& plugins() const { return *setup_.plugins; }
  RunLog& log() const { return *setup_.log; }

 private:
  Setup setup_;
};

class Stage {
 public:
  static constexpr std::string_view kind = "stage";
  virtual ~Stage() = default;
  // Does the work, writing outputs under ctx.dir(), and returns a table of results (final
  // metrics, sizes, ...) for the run summary. Throws UserError for bad input, anything else for
  // failures; either way the stage is left unfinished (resumable).
  virtual ConfigNode run(StageContext& ctx) = 0;
};

}  // namespace dac
