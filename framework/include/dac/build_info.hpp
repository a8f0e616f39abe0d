// Versions of this build and the libraries it was built with, recorded in every run's provenance.
#pragma once

#include <string>

namespace dac {

struct BuildInfo {
  std::string version;
  std::string git_commit;
  std::string torch_version;
  std::string compiler;
  std::string build_type;
  std::string boost_version;
  std::string toml_version;
  std::string fmt_version;
};

const BuildInfo& build_info();

}  // namespace dac
