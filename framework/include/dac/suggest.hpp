// "Did you mean ...?" helpers used by every error that rejects a name (config keys, plugin names,
// stage names, subcommands).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dac {

// Levenshtein distance between two strings (byte-wise).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word`, or "" when none is close enough to be a plausible typo.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "" when there is no close match.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// "a, b, c" (candidates joined with ", "), or "(none)" when empty.
std::string join_names(const std::vector<std::string>& names);

}  // namespace dac
