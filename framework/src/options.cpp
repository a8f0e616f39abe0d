// Config schemas (declared keys with type, default, help, bounds and choices), their validation
// with errors that name the key path and where the value was set, and the validated Options.
#include "dac/options.hpp"

#include <charconv>
#include <stdexcept>

#include "dac/error.hpp"
#include "dac/suggest.hpp"

namespace dac {

const char* key_type_name(KeyType type) {
  switch (type) {
    case KeyType::Bool:
      return "bool";
    case KeyType::Int:
      return "int";
    case KeyType::Float:
      return "float";
    case KeyType::String:
      return "string";
    case KeyType::IntList:
      return "list of int";
    case KeyType::FloatList:
      return "list of float";
    case KeyType::StringList:
      return "list of string";
    case KeyType::Table:
      return "table";
    case KeyType::AnyTable:
      return "table";
    case KeyType::Any:
      return "any";
  }
  return "?";
}

void config_fail(const ConfigNode& at, std::string_view key_path, const std::string& message) {
  std::string text = at.origin().str() + ": ";
  if (!key_path.empty()) text += std::string(key_path) + ": ";
  throw ConfigError(text + message);
}

namespace {

std::string join_path(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : std::string(path) + "." + std::string(key);
}

// Shortest text that reads back as the same number: 1, 0.5, 1e-09.
std::string number_text(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string number_text(const ConfigNode& value) {
  return value.type() == ConfigNode::Type::Int ? std::to_string(value.as_int())
                                               : number_text(value.as_float());
}

bool is_list(KeyType type) {
  return type == KeyType::IntList || type == KeyType::FloatList || type == KeyType::StringList;
}

KeyType element_type(KeyType list) {
  switch (list) {
    case KeyType::IntList:
      return KeyType::Int;
    case KeyType::FloatList:
      return KeyType::Float;
    default:
      return KeyType::String;
  }
}

bool has_type(const ConfigNode& value, KeyType type) {
  switch (type) {
    case KeyType::Bool:
      return value.type() == ConfigNode::Type::Bool;
    case KeyType::Int:
      return value.type() == ConfigNode::Type::Int;
    case KeyType::Float:
      return value.is_number();
    case KeyType::String:
      return value.type() == ConfigNode::Type::String;
    case KeyType::Table:
    case KeyType::AnyTable:
      return value.is_table();
    case KeyType::Any:
      return true;
    default:
      return value.is_array();
  }
}

void check_bounds(const KeySpec& spec, const ConfigNode& value, const std::string& path) {
  if (!value.is_number()) return;
  const double number = value.as_float();
  if (spec.min && number < *spec.min)
    config_fail(value, path,
                number_text(value) + " is below the minimum " + number_text(*spec.min));
  if (spec.max && number > *spec.max)
    config_fail(value, path,
                number_text(value) + " is above the maximum " + number_text(*spec.max));
}

void check_choice(const KeySpec& spec, const ConfigNode& value, const std::string& path) {
  if (spec.choices.empty() || value.type() != ConfigNode::Type::String) return;
  const std::string& text = value.as_string();
  for (const std::string& choice : spec.choices)
    if (choice == text) return;
  config_fail(value, path,
              "'" + text + "' is not one of: " + join_names(spec.choices) +
                  did_you_mean(text, spec.choices));
}

// A single value of a scalar type, checked against the spec's bounds and choices. Float keys
// accept integers and store them as floats.
ConfigNode check_scalar(const KeySpec& spec, KeyType type, const ConfigNode& value,
                        const std::string& path) {
  if (!has_type(value, type))
    config_fail(value, path,
                std::string("expected ") + key_type_name(type) + ", got " + value.type_name());
  check_bounds(spec, value, path);
  check_choice(spec, value, path);
  if (type == KeyType::Float && value.type() == ConfigNode::Type::Int)
    return ConfigNode::real(value.as_float(), value.origin());
  return value;
}

ConfigNode check_list(const KeySpec& spec, const ConfigNode& value, const std::string& path) {
  if (!value.is_array())
    config_fail(value, path,
                std::string("expected ") + key_type_name(spec.type) + ", got " + value.type_name());
  ConfigNode list = ConfigNode::array(value.origin());
  const auto& items = value.items();
  for (std::size_t i = 0; i < items.size(); ++i)
    list.push_back(check_scalar(spec, element_type(spec.type), items[i],
                                path + "[" + std::to_string(i) + "]"));
  return list;
}

ConfigNode check_value(const KeySpec& spec, const ConfigNode& value, const std::string& path) {
  if (is_list(spec.type)) return check_list(spec, value, path);
  if (spec.type == KeyType::Table && spec.nested && value.is_table())
    return spec.nested->validate(value, path).raw();
  return check_scalar(spec, spec.type, value, path);
}

KeySpec key_spec(std::string name, KeyType type, std::optional<ConfigNode> default_value,
                 std::string help, bool optional = false) {
  KeySpec spec;
  spec.name = std::move(name);
  spec.type = type;
  spec.default_value = std::move(default_value);
  spec.optional = optional;
  spec.help = std::move(help);
  return spec;
}

ConfigNode default_list(const auto& values, auto make) {
  ConfigNode list = ConfigNode::array();
  for (const auto& value : values) list.push_back(make(value));
  return list;
}

}  // namespace

// --- ConfigSchema ----------------------------------------------------------------------------

ConfigSchema& ConfigSchema::add(KeySpec spec) {
  if (find(spec.name)) throw std::logic_error("config key '" + spec.name + "' declared twice");
  keys_.push_back(std::move(spec));
  return *this;
}

ConfigSchema& ConfigSchema::boolean(std::string name, bool default_value, std::string help) {
  return add(key_spec(std::move(name), KeyType::Bool, ConfigNode::boolean(default_value),
                      std::move(help)));
}

ConfigSchema& ConfigSchema::integer(std::string name, std::int64_t default_value,
                                    std::string help) {
  return add(
      key_spec(std::move(name), KeyType::Int, ConfigNode::integer(default_value), std::move(help)));
}

ConfigSchema& ConfigSchema::real(std::string name, double default_value, std::string help) {
  return add(
      key_spec(std::move(name), KeyType::Float, ConfigNode::real(default_value), std::move(help)));
}

ConfigSchema& ConfigSchema::string(std::string name, std::string default_value, std::string help) {
  return add(key_spec(std::move(name), KeyType::String,
                      ConfigNode::string(std::move(default_value)), std::move(help)));
}

ConfigSchema& ConfigSchema::integers(std::string name, std::vector<std::int64_t> default_value,
                                     std::string help) {
  ConfigNode list = default_list(default_value, [](auto v) { return ConfigNode::integer(v); });
  return add(key_spec(std::move(name), KeyType::IntList, std::move(list), std::move(help)));
}

ConfigSchema& ConfigSchema::reals(std::string name, std::vector<double> default_value,
                                  std::string help) {
  ConfigNode list = default_list(default_value, [](auto v) { return ConfigNode::real(v); });
  return add(key_spec(std::move(name), KeyType::FloatList, std::move(list), std::move(help)));
}

ConfigSchema& ConfigSchema::strings(std::string name, std::vector<std::string> default_value,
                                    std::string help) {
  ConfigNode list = default_list(default_value, [](auto v) { return ConfigNode::string(v); });
  return add(key_spec(std::move(name), KeyType::StringList, std::move(list), std::move(help)));
}

ConfigSchema& ConfigSchema::table(std::string name, ConfigSchema nested, std::string help) {
  KeySpec spec = key_spec(std::move(name), KeyType::Table, std::nullopt, std::move(help));
  spec.nested = std::make_shared<ConfigSchema>(std::move(nested));
  return add(std::move(spec));
}

ConfigSchema& ConfigSchema::any_table(std::string name, std::string help) {
  return add(key_spec(std::move(name), KeyType::AnyTable, std::nullopt, std::move(help)));
}

ConfigSchema& ConfigSchema::plugin(std::string name, std::string kind, std::string help,
                                   bool allow_list) {
  KeySpec spec = key_spec(std::move(name), allow_list ? KeyType::Any : KeyType::AnyTable,
                          std::nullopt, std::move(help));
  spec.plugin_kind = std::move(kind);
  return add(std::move(spec));
}

ConfigSchema& ConfigSchema::optional_plugin(std::string name, std::string kind, std::string help) {
  KeySpec spec = key_spec(std::move(name), KeyType::AnyTable, std::nullopt, std::move(help), true);
  spec.plugin_kind = std::move(kind);
  return add(std::move(spec));
}

ConfigSchema& ConfigSchema::plugin_name(std::string name, std::string kind,
                                        std::string default_value, std::string help) {
  string(std::move(name), std::move(default_value), std::move(help));
  keys_.back().plugin_kind = std::move(kind);
  return *this;
}

ConfigSchema& ConfigSchema::required(std::string name, KeyType type, std::string help) {
  return add(key_spec(std::move(name), type, std::nullopt, std::move(help)));
}

ConfigSchema& ConfigSchema::optional(std::string name, KeyType type, std::string help) {
  return add(key_spec(std::move(name), type, std::nullopt, std::move(help), true));
}

ConfigSchema& ConfigSchema::choices(std::vector<std::string> allowed) {
  if (keys_.empty()) throw std::logic_error("ConfigSchema::choices before any key");
  keys_.back().choices = std::move(allowed);
  return *this;
}

ConfigSchema& ConfigSchema::min(double bound) {
  if (keys_.empty()) throw std::logic_error("ConfigSchema::min before any key");
  keys_.back().min = bound;
  return *this;
}

ConfigSchema& ConfigSchema::max(double bound) {
  if (keys_.empty()) throw std::logic_error("ConfigSchema::max before any key");
  keys_.back().max = bound;
  return *this;
}

ConfigSchema& ConfigSchema::ignore(std::string name) {
  ignored_.push_back(std::move(name));
  return *this;
}

const KeySpec* ConfigSchema::find(std::string_view name) const {
  for (const KeySpec& spec : keys_)
    if (spec.name == name) return &spec;
  return nullptr;
}

bool ConfigSchema::ignores(std::string_view name) const {
  for (const std::string& ignored : ignored_)
    if (ignored == name) return true;
  return false;
}

Options ConfigSchema::validate(const ConfigNode& table, std::string path) const {
  if (!table.is_table())
    config_fail(table, path, std::string("expected table, got ") + table.type_name());
  std::vector<std::string> valid;
  for (const KeySpec& spec : keys_)
    if (!ignores(spec.name)) valid.push_back(spec.name);

  ConfigNode result = ConfigNode::table(table.origin());
  for (const auto& [key, value] : table.entries()) {
    if (ignores(key)) {
      result.set(key, value);
      continue;
    }
    const KeySpec* spec = find(key);
    if (!spec)
      config_fail(value, join_path(path, key),
                  "unknown key" + did_you_mean(key, valid) + "; valid keys: " + join_names(valid));
    result.set(key, check_value(*spec, value, join_path(path, key)));
  }

  for (const KeySpec& spec : keys_) {
    if (result.contains(spec.name) || ignores(spec.name)) continue;
    if (spec.default_value) {
      result.set(spec.name, *spec.default_value);
    } else if (spec.type == KeyType::Table && spec.nested) {
      // An absent table is an empty one at the parent's position, so its defaults fill in.
      const ConfigNode empty = ConfigNode::table(table.origin());
      result.set(spec.name, spec.nested->validate(empty, join_path(path, spec.name)).raw());
    } else if (!spec.optional) {
      config_fail(table, path,
                  "missing required key '" + spec.name + "' (" + key_type_name(spec.type) + ")" +
                      (spec.help.empty() ? "" : ": " + spec.help));
    }
  }
  return Options(std::move(result), std::move(path));
}

// --- Options ---------------------------------------------------------------------------------

namespace {

[[noreturn]] void wrong_getter(const std::string& key_path, const ConfigNode& node,
                               const char* wanted) {
  throw std::logic_error("option '" + key_path + "' is " + node.type_name() + ", not " + wanted);
}

template <typename T, typename Read>
std::vector<T> read_list(const std::string& key_path, const ConfigNode& node, KeyType list,
                         Read read) {
  const char* wanted = key_type_name(list);
  if (!node.is_array()) wrong_getter(key_path, node, wanted);
  std::vector<T> values;
  for (const ConfigNode& item : node.items()) {
    if (!has_type(item, element_type(list))) wrong_getter(key_path, node, wanted);
    values.push_back(read(item));
  }
  return values;
}

}  // namespace

const ConfigNode& Options::get(std::string_view key) const {
  const ConfigNode* node = table_.find(key);
  if (!node)
    throw std::logic_error("option '" + key_path(key) +
                           "' is absent: not declared in the schema, or optional and unset");
  return *node;
}

bool Options::boolean(std::string_view key) const {
  const ConfigNode& node = get(key);
  if (!has_type(node, KeyType::Bool)) wrong_getter(key_path(key), node, "bool");
  return node.as_bool();
}

std::int64_t Options::integer(std::string_view key) const {
  const ConfigNode& node = get(key);
  if (!has_type(node, KeyType::Int)) wrong_getter(key_path(key), node, "int");
  return node.as_int();
}

double Options::real(std::string_view key) const {
  const ConfigNode& node = get(key);
  if (!has_type(node, KeyType::Float)) wrong_getter(key_path(key), node, "float");
  return node.as_float();
}

const std::string& Options::string(std::string_view key) const {
  const ConfigNode& node = get(key);
  if (!has_type(node, KeyType::String)) wrong_getter(key_path(key), node, "string");
  return node.as_string();
}

std::vector<std::int64_t> Options::integers(std::string_view key) const {
  return read_list<std::int64_t>(key_path(key), get(key), KeyType::IntList,
                                 [](const ConfigNode& item) { return item.as_int(); });
}

std::vector<double> Options::reals(std::string_view key) const {
  return read_list<double>(key_path(key), get(key), KeyType::FloatList,
                           [](const ConfigNode& item) { return item.as_float(); });
}

std::vector<std::string> Options::strings(std::string_view key) const {
  return read_list<std::string>(key_path(key), get(key), KeyType::StringList,
                                [](const ConfigNode& item) { return item.as_string(); });
}

const ConfigNode& Options::node(std::string_view key) const {
  return get(key);
}

Options Options::table(std::string_view key) const {
  const ConfigNode& node = get(key);
  if (!node.is_table()) wrong_getter(key_path(key), node, "table");
  return Options(node, key_path(key));
}

std::string Options::key_path(std::string_view key) const {
  return join_path(path_, key);
}

void Options::fail(std::string_view key, const std::string& message) const {
  const ConfigNode* node = table_.find(key);
  config_fail(node ? *node : table_, key_path(key), message);
}

}  // namespace dac
