// The state file of a stage folder (stage.toml): status, hash, what the hash covers, timings and
// the result table, plus the lock that keeps two dacrun processes out of one stage folder.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "dac/config.hpp"

namespace dac {

struct StageState {
  std::string name;  // the stage name in the run that last wrote it
  std::string kind;
  std::string hash;
  std::string status;  // "running", "failed" or "finished"
  std::string started;
  std::string finished;
  double wall_s = 0;
  std::string error;  // for "failed"
  ConfigNode result = ConfigNode::table();
  ConfigNode hash_input = ConfigNode::table();
};

std::filesystem::path stage_state_path(const std::filesystem::path& stage_dir);
// nullopt when the folder has no state file.
std::optional<StageState> read_stage_state(const std::filesystem::path& stage_dir);
void write_stage_state(const std::filesystem::path& stage_dir, const StageState& state);

// An exclusive advisory lock on <stage_dir>/.lock, held for the object's lifetime. Throws a
// UserError when another process holds it.
class StageLock {
 public:
  explicit StageLock(const std::filesystem::path& stage_dir);
  ~StageLock();
  StageLock(const StageLock&) = delete;
  StageLock& operator=(const StageLock&) = delete;
  // True when another process holds the lock of `stage_dir` right now.
  static bool held_elsewhere(const std::filesystem::path& stage_dir);

 private:
  int fd_ = -1;
};

}  // namespace dac
