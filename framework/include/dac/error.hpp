// Error types shared by the framework and plugins.
// UserError is a problem the user can fix (bad config, missing file, unknown plugin): the CLI
// prints its message alone and exits with kExitUserError. Anything else is a failure.
#pragma once

#include <stdexcept>
#include <string>

namespace dac {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;    // a stage or the program failed
inline constexpr int kExitUserError = 2;  // bad input, bad usage

class UserError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A configuration problem; the message already names the key path and file:line:column.
class ConfigError : public UserError {
 public:
  using UserError::UserError;
};

}  // namespace dac
