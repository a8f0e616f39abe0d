// Provenance recorded with every run: the dacrun build and its libraries, the machine and device,
// the experiment's repository commit, the command line and the start time.
#include <sys/utsname.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <thread>

#include "dac/build_info.hpp"
#include "dac/runner.hpp"

namespace dac {
namespace fs = std::filesystem;

namespace {

// stdout of a shell command, trimmed; "" when it fails.
std::string command_output(const std::string& command) {
  std::FILE* pipe = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (!pipe) return "";
  std::string out;
  std::array<char, 256> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe)) out += buffer.data();
  if (::pclose(pipe) != 0) return "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string quoted_path(const fs::path& path) {
  std::string quoted = "'";
  for (char c : path.string()) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line))
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  return "unknown";
}

ConfigNode machine() {
  ConfigNode table = ConfigNode::table();
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  table.set("hostname", ConfigNode::string(host));
  utsname system{};
  if (::uname(&system) == 0)
    table.set("os", ConfigNode::string(std::string(system.sysname) + " " + system.release + " " +
                                       system.machine));
  table.set("cpu", ConfigNode::string(cpu_model()));
  table.set("cpu_cores", ConfigNode::integer(std::thread::hardware_concurrency()));
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page_size > 0)
    table.set("memory_gib", ConfigNode::real(static_cast<double>(pages) * page_size /
                                             (1024.0 * 1024.0 * 1024.0)));
  return table;
}

ConfigNode repository(const fs::path& experiment_file) {
  ConfigNode table = ConfigNode::table();
  const fs::path folder = fs::absolute(experiment_file).parent_path();
  const std::string git = "git -C " + quoted_path(folder) + " ";
  const std::string commit = command_output(git + "rev-parse HEAD");
  table.set("experiment_file", ConfigNode::string(fs::absolute(experiment_file).string()));
  table.set("git_commit", ConfigNode::string(commit.empty() ? "none" : commit));
  if (!commit.empty())
    table.set("git_dirty",
              ConfigNode::boolean(
                  !command_output(git + "status --porcelain --untracked-files=no").empty()));
  return table;
}

}  // namespace

ConfigNode collect_provenance(const fs::path& experiment_file, const RunnerOptions& options) {
  const BuildInfo& build = build_info();
  ConfigNode dacrun = ConfigNode::table();
  dacrun.set("version", ConfigNode::string(build.version));
  dacrun.set("git_commit", ConfigNode::string(build.git_commit));
  dacrun.set("build_type", ConfigNode::string(build.build_type));
  dacrun.set("compiler", ConfigNode::string(build.compiler));
  ConfigNode libraries = ConfigNode::table();
  libraries.set("torch", ConfigNode::string(build.torch_version));
  libraries.set("boost", ConfigNode::string(build.boost_version));
  libraries.set("tomlplusplus", ConfigNode::string(build.toml_version));
  libraries.set("fmt", ConfigNode::string(build.fmt_version));

  ConfigNode provenance = ConfigNode::table();
  provenance.set("started", ConfigNode::string(utc_now_iso8601()));
  provenance.set("command", ConfigNode::string(options.command_line));
  provenance.set("working_dir", ConfigNode::string(fs::current_path().string()));
  provenance.set("dacrun", dacrun);
  provenance.set("libraries", libraries);
  provenance.set("machine", machine());
  provenance.set("device",
                 options.describe_device ? options.describe_device() : ConfigNode::table());
  provenance.set("repository", repository(experiment_file));
  return provenance;
}

}  // namespace dac
