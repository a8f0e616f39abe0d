// The plugin kinds dacrun knows, with a line each for `dacrun plugins`. Each kind's interface is
// in dac/kinds/<kind>.hpp; plugins may also declare kinds of their own.
#pragma once

#include <string>
#include <vector>

namespace dac {

struct KindInfo {
  std::string name;
  std::string description;
  std::string header;  // the interface a plugin of this kind implements
};

const std::vector<KindInfo>& builtin_kinds();

}  // namespace dac
