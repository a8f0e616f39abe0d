// Reading and writing stage.toml, and the per-stage lock.
#include "dac/stage_state.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstring>

#include "dac/error.hpp"
#include "dac/summary.hpp"

namespace dac {
namespace fs = std::filesystem;

fs::path stage_state_path(const fs::path& stage_dir) {
  return stage_dir / "stage.toml";
}

namespace {
std::string string_or(const ConfigNode& table, std::string_view key) {
  const ConfigNode* value = table.find(key);
  return value && value->type() == ConfigNode::Type::String ? value->as_string() : std::string();
}
}  // namespace

std::optional<StageState> read_stage_state(const fs::path& stage_dir) {
  const fs::path path = stage_state_path(stage_dir);
  if (!fs::exists(path)) return std::nullopt;
  const ConfigNode table = parse_toml_file(path);
  StageState state;
  state.name = string_or(table, "name");
  state.kind = string_or(table, "kind");
  state.hash = string_or(table, "hash");
  state.status = string_or(table, "status");
  state.started = string_or(table, "started");
  state.finished = string_or(table, "finished");
  state.error = string_or(table, "error");
  if (const ConfigNode* wall = table.find("wall_s"); wall && wall->is_number())
    state.wall_s = wall->as_float();
  if (const ConfigNode* result = table.find("result"); result && result->is_table())
    state.result = *result;
  if (const ConfigNode* hashed = table.find("hash_input"); hashed && hashed->is_table())
    state.hash_input = *hashed;
  return state;
}

void write_stage_state(const fs::path& stage_dir, const StageState& state) {
  ConfigNode table = ConfigNode::table();
  table.set("name", ConfigNode::string(state.name));
  table.set("kind", ConfigNode::string(state.kind));
  table.set("hash", ConfigNode::string(state.hash));
  table.set("status", ConfigNode::string(state.status));
  table.set("started", ConfigNode::string(state.started));
  if (!state.finished.empty()) table.set("finished", ConfigNode::string(state.finished));
  table.set("wall_s", ConfigNode::real(state.wall_s));
  if (!state.error.empty()) table.set("error", ConfigNode::string(state.error));
  table.set("result", state.result);
  table.set("hash_input", state.hash_input);
  write_file_atomically(stage_state_path(stage_dir), to_toml(table));
}

StageLock::StageLock(const fs::path& stage_dir) {
  const fs::path path = stage_dir / ".lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw UserError("cannot create the lock file '" + path.string() + "': " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    fd_ = -1;
    throw UserError("stage folder '" + stage_dir.string() +
                    "' is in use by another dacrun process; wait for it to finish.");
  }
}

StageLock::~StageLock() {
  if (fd_ >= 0) ::close(fd_);
}

bool StageLock::held_elsewhere(const fs::path& stage_dir) {
  const fs::path path = stage_dir / ".lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;
  const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
  ::close(fd);
  return held;
}

}  // namespace dac
