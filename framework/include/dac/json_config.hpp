// JSON documents as configuration trees, so that JSON files are read and checked with the same
// ConfigNode tools as TOML ones; the inverse of to_json (dac/config.hpp).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "dac/config.hpp"
#include "dac/json_reader.hpp"

namespace dac {

// The value as a ConfigNode whose every node has `source` as its origin. JSON null becomes a NaN
// float (to_json writes NaN as null); objects keep their member order.
ConfigNode json_to_config(const JsonValue& value, const std::string& source);
// Parses JSON text; malformed JSON is a UserError "SOURCE: JSON syntax error at byte N: ...".
ConfigNode parse_json_config(std::string_view text, const std::string& source);
// Reads and parses a JSON file; a missing, unreadable or malformed file is a UserError naming the
// path.
ConfigNode read_json_config_file(const std::filesystem::path& path);

}  // namespace dac
