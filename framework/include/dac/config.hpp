// The configuration tree: TOML values that remember where they came from (file:line:column or a
// --set override), so every error can point at its source. toml++ is used only inside
// config_parse.cpp; everything else sees this tree.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dac {

// Where a value was written: a file position, or a description such as "--set train.lr=1e-3".
struct SourceLocation {
  std::shared_ptr<const std::string> source;  // file path or override text; null when unknown
  int line = 0;                               // 1-based; 0 when not a file position
  int column = 0;

  // "path/to/file.toml:12:5", "--set train.lr=1e-3", or "(built-in default)".
  std::string str() const;
};

class ConfigNode {
 public:
  enum class Type { Bool, Int, Float, String, Array, Table };
  using Entry = std::pair<std::string, ConfigNode>;

  ConfigNode();  // an empty table
  static ConfigNode table(SourceLocation origin = {});
  static ConfigNode array(SourceLocation origin = {});
  static ConfigNode boolean(bool value, SourceLocation origin = {});
  static ConfigNode integer(std::int64_t value, SourceLocation origin = {});
  static ConfigNode real(double value, SourceLocation origin = {});
  static ConfigNode string(std::string value, SourceLocation origin = {});

  Type type() const { return type_; }
  bool is_table() const { return type_ == Type::Table; }
  bool is_array() const { return type_ == Type::Array; }
  bool is_number() const { return type_ == Type::Int || type_ == Type::Float; }
  static const char* type_name(Type type);  // "boolean", "integer", "float", "string", ...
  const char* type_name() const { return type_name(type_); }

  // Scalar access; throws ConfigError (naming origin) on a type mismatch. as_float accepts ints.
  bool as_bool() const;
  std::int64_t as_int() const;
  double as_float() const;
  const std::string& as_string() const;

  // Arrays.
  const std::vector<ConfigNode>& items() const;
  std::vector<ConfigNode>& items();
  void push_back(ConfigNode value);

  // Tables keep insertion order.
  const std::vector<Entry>& entries() const;
  std::vector<std::string> keys() const;
  const ConfigNode* find(std::string_view key) const;
  ConfigNode* find(std::string_view key);
  bool contains(std::string_view key) const { return find(key) != nullptr; }
  ConfigNode& set(std::string key, ConfigNode value);  // replaces or appends
  bool erase(std::string_view key);

  // Dotted paths, e.g. "train.lr". A path component may also index an array ("stages.0") or pick
  // the element of an array of tables whose `name` equals it ("stages.pretrain").
  const ConfigNode* find_path(std::string_view dotted) const;
  ConfigNode* find_path(std::string_view dotted);
  // Creates intermediate tables; throws ConfigError when a component is not a table.
  ConfigNode& set_path(std::string_view dotted, ConfigNode value);

  const SourceLocation& origin() const { return origin_; }
  void set_origin(SourceLocation origin) { origin_ = std::move(origin); }

  // Structural equality of values (origins ignored).
  bool operator==(const ConfigNode& other) const;
  bool operator!=(const ConfigNode& other) const { return !(*this == other); }

 private:
  Type type_ = Type::Table;
  bool bool_ = false;
  std::int64_t int_ = 0;
  double float_ = 0.0;
  std::string string_;
  std::vector<ConfigNode> items_;
  std::vector<Entry> entries_;
  SourceLocation origin_;
};

// --- reading -------------------------------------------------------------------------------

// Parses one TOML document. Errors are ConfigError "FILE:LINE:COL: TOML syntax error: ...".
ConfigNode parse_toml(std::string_view text, const std::string& source_name);
// Reads and parses one file without resolving includes. A missing or unreadable file is a
// UserError naming the path.
ConfigNode parse_toml_file(const std::filesystem::path& path);

// Reads a file and resolves its `base = ["a.toml", ...]` includes: each base (relative to the
// including file) is loaded recursively, bases merge in order, then the file itself on top.
// The `base` key is removed. Include cycles are ConfigErrors listing the chain.
ConfigNode load_config(const std::filesystem::path& path);

// Deep merge: tables merge key by key; any other value (arrays included) replaces. A table merged
// onto an array of tables changes elements by name: {pretrain = {steps = 10}} onto
// [[stages]] changes the stage named "pretrain" (a ConfigError when no element has that name).
void merge_into(ConfigNode& target, const ConfigNode& overlay);

// Parses "key.path=value" as given to --set. The value is typed like TOML (int, float, bool,
// string, array, inline table); anything that does not parse as a TOML value is taken as a bare
// string. Returns a table holding just that path. Errors name the override text.
ConfigNode parse_override(std::string_view assignment);

// A path written in a config: relative paths are resolved against the folder of the file that
// set the value (or the current folder for --set overrides and defaults).
std::filesystem::path resolve_config_path(const ConfigNode& string_value);

// --- writing -------------------------------------------------------------------------------

// TOML text of a table. With `with_origins`, each value gets a trailing comment saying where it
// was set.
std::string to_toml(const ConfigNode& table, bool with_origins = false);
// Compact JSON with keys in insertion order.
std::string to_json(const ConfigNode& node);
// JSON with keys sorted at every level: the input to every content hash.
std::string canonical_json(const ConfigNode& node);
// JSON string literal with escapes, e.g. "\"a\\nb\"" (control characters and DEL as \u00XX, so
// the result is also a valid TOML basic string).
std::string json_quote(std::string_view text);

}  // namespace dac
