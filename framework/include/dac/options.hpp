// Config schemas and validated options. Every component (plugin, stage, the experiment itself)
// declares the keys it accepts with type, default and help; validation rejects unknown keys and
// wrong types with the full key path, the file:line:column and the closest valid key, and fills in
// defaults. `dacrun plugins` prints the schemas.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dac/config.hpp"

namespace dac {

enum class KeyType {
  Bool,
  Int,
  Float,
  String,
  IntList,
  FloatList,
  StringList,
  Table,
  AnyTable,
  Any
};
const char* key_type_name(KeyType type);  // "bool", "int", "float", "string", "list of int", ...

class ConfigSchema;

struct KeySpec {
  std::string name;
  KeyType type = KeyType::Any;
  std::optional<ConfigNode> default_value;  // empty: the key is required (unless `optional`)
  bool optional = false;                    // may be absent, with no default
  std::string help;
  std::vector<std::string> choices;      // for strings: allowed values (empty = any)
  std::optional<double> min, max;        // for numbers (and each element of numeric lists)
  std::shared_ptr<ConfigSchema> nested;  // for KeyType::Table
  // For plugin selections: the kind whose plugin the table (or each table of an array) names
  // with `name`; the planner checks the name and the plugin's keys before anything runs.
  std::string plugin_kind;
};

class Options;

// Fluent builder: ConfigSchema().integer("layers", 16, "number of blocks").min(1)
class ConfigSchema {
 public:
  ConfigSchema& boolean(std::string name, bool default_value, std::string help);
  ConfigSchema& integer(std::string name, std::int64_t default_value, std::string help);
  ConfigSchema& real(std::string name, double default_value, std::string help);
  ConfigSchema& string(std::string name, std::string default_value, std::string help);
  ConfigSchema& integers(std::string name, std::vector<std::int64_t> default_value,
                         std::string help);
  ConfigSchema& reals(std::string name, std::vector<double> default_value, std::string help);
  ConfigSchema& strings(std::string name, std::vector<std::string> default_value, std::string help);
  // A nested table validated by its own schema (an absent table is validated as empty).
  ConfigSchema& table(std::string name, ConfigSchema nested, std::string help);
  // A table the component validates itself (e.g. a plugin selection with `name`).
  ConfigSchema& any_table(std::string name, std::string help);
  // A required table selecting a plugin of `kind` by `name`, with that plugin's keys beside it;
  // with `allow_list`, an array of such tables is accepted too.
  ConfigSchema& plugin(std::string name, std::string kind, std::string help,
                       bool allow_list = false);
  // Like plugin(), but the table may be absent (Options::has tells).
  ConfigSchema& optional_plugin(std::string name, std::string kind, std::string help);
  // A string naming a plugin of `kind` that takes no options of its own.
  ConfigSchema& plugin_name(std::string name, std::string kind, std::string default_value,
                            std::string help);
  // A key of the given type with no default: it must be present.
  ConfigSchema& required(std::string name, KeyType type, std::string help);
  // A key of the given type that may be absent (Options::has tells).
  ConfigSchema& optional(std::string name, KeyType type, std::string help);

  // Modifiers for the key added last.
  ConfigSchema& choices(std::vector<std::string> allowed);
  ConfigSchema& min(double bound);
  ConfigSchema& max(double bound);

  // Keys this table may also contain that validation skips (e.g. "name" in a plugin table).
  ConfigSchema& ignore(std::string name);

  const std::vector<KeySpec>& keys() const { return keys_; }
  const KeySpec* find(std::string_view name) const;
  bool ignores(std::string_view name) const;

  // Validates `table` (found at dotted `path`, "" for the root) and returns it with defaults
  // filled in. Throws ConfigError naming the full key path, where it was set, and the closest
  // valid key or choice. A missing required key names the table's own origin.
  Options validate(const ConfigNode& table, std::string path) const;

 private:
  ConfigSchema& add(KeySpec spec);
  std::vector<KeySpec> keys_;
  std::vector<std::string> ignored_;
};

// A validated table with defaults filled in. Getters for keys the schema does not declare, or of
// another type, are programming errors (std::logic_error).
class Options {
 public:
  Options() = default;
  Options(ConfigNode table, std::string path) : table_(std::move(table)), path_(std::move(path)) {}

  bool has(std::string_view key) const { return table_.find(key) != nullptr; }
  bool boolean(std::string_view key) const;
  std::int64_t integer(std::string_view key) const;
  double real(std::string_view key) const;
  const std::string& string(std::string_view key) const;
  std::vector<std::int64_t> integers(std::string_view key) const;
  std::vector<double> reals(std::string_view key) const;
  std::vector<std::string> strings(std::string_view key) const;
  const ConfigNode& node(std::string_view key) const;
  Options table(std::string_view key) const;  // a nested validated table

  // Full dotted path of this table ("" for the root) and of one of its keys.
  const std::string& path() const { return path_; }
  std::string key_path(std::string_view key) const;
  const ConfigNode& raw() const { return table_; }

  // Throws a ConfigError about `key`: "<origin>: <key path>: <message>".
  [[noreturn]] void fail(std::string_view key, const std::string& message) const;

 private:
  const ConfigNode& get(std::string_view key) const;
  ConfigNode table_;
  std::string path_;
};

// Throws the standard ConfigError for a value: "<origin>: <key path>: <message>".
[[noreturn]] void config_fail(const ConfigNode& at, std::string_view key_path,
                              const std::string& message);

}  // namespace dac
