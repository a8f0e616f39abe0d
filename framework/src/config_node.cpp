// The configuration tree's value type: construction, typed access, tables and dotted paths.
#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "dac/config.hpp"
#include "dac/error.hpp"

namespace dac {

std::string SourceLocation::str() const {
  if (!source) return "(built-in default)";
  if (line <= 0) return *source;
  return *source + ":" + std::to_string(line) + ":" + std::to_string(column);
}

ConfigNode::ConfigNode() = default;

ConfigNode ConfigNode::table(SourceLocation origin) {
  ConfigNode node;
  node.type_ = Type::Table;
  node.origin_ = std::move(origin);
  return node;
}

ConfigNode ConfigNode::array(SourceLocation origin) {
  ConfigNode node;
  node.type_ = Type::Array;
  node.origin_ = std::move(origin);
  return node;
}

ConfigNode ConfigNode::boolean(bool value, SourceLocation origin) {
  ConfigNode node;
  node.type_ = Type::Bool;
  node.bool_ = value;
  node.origin_ = std::move(origin);
  return node;
}

ConfigNode ConfigNode::integer(std::int64_t value, SourceLocation origin) {
  ConfigNode node;
  node.type_ = Type::Int;
  node.int_ = value;
  node.origin_ = std::move(origin);
  return node;
}

ConfigNode ConfigNode::real(double value, SourceLocation origin) {
  ConfigNode node;
  node.type_ = Type::Float;
  node.float_ = value;
  node.origin_ = std::move(origin);
  return node;
}

ConfigNode ConfigNode::string(std::string value, SourceLocation origin) {
  ConfigNode node;
  node.type_ = Type::String;
  node.string_ = std::move(value);
  node.origin_ = std::move(origin);
  return node;
}

const char* ConfigNode::type_name(Type type) {
  switch (type) {
    case Type::Bool:
      return "boolean";
    case Type::Int:
      return "integer";
    case Type::Float:
      return "float";
    case Type::String:
      return "string";
    case Type::Array:
      return "array";
    case Type::Table:
      return "table";
  }
  return "?";
}

namespace {
[[noreturn]] void wrong_type(const ConfigNode& node, const char* wanted) {
  throw ConfigError(node.origin().str() + ": expected " + wanted + ", got " + node.type_name());
}
}  // namespace

bool ConfigNode::as_bool() const {
  if (type_ != Type::Bool) wrong_type(*this, "boolean");
  return bool_;
}

std::int64_t ConfigNode::as_int() const {
  if (type_ != Type::Int) wrong_type(*this, "integer");
  return int_;
}

double ConfigNode::as_float() const {
  if (type_ == Type::Int) return static_cast<double>(int_);
  if (type_ != Type::Float) wrong_type(*this, "float");
  return float_;
}

const std::string& ConfigNode::as_string() const {
  if (type_ != Type::String) wrong_type(*this, "string");
  return string_;
}

const std::vector<ConfigNode>& ConfigNode::items() const {
  if (type_ != Type::Array) wrong_type(*this, "array");
  return items_;
}

std::vector<ConfigNode>& ConfigNode::items() {
  if (type_ != Type::Array) wrong_type(*this, "array");
  return items_;
}

void ConfigNode::push_back(ConfigNode value) {
  items().push_back(std::move(value));
}

const std::vector<ConfigNode::Entry>& ConfigNode::entries() const {
  if (type_ != Type::Table) wrong_type(*this, "table");
  return entries_;
}

std::vector<std::string> ConfigNode::keys() const {
  std::vector<std::string> names;
  for (const auto& [key, value] : entries()) names.push_back(key);
  return names;
}

const ConfigNode* ConfigNode::find(std::string_view key) const {
  if (type_ != Type::Table) return nullptr;
  for (const auto& [name, value] : entries_)
    if (name == key) return &value;
  return nullptr;
}

ConfigNode* ConfigNode::find(std::string_view key) {
  return const_cast<ConfigNode*>(static_cast<const ConfigNode&>(*this).find(key));
}

ConfigNode& ConfigNode::set(std::string key, ConfigNode value) {
  if (type_ != Type::Table) wrong_type(*this, "table");
  if (ConfigNode* existing = find(key)) {
    *existing = std::move(value);
    return *existing;
  }
  entries_.emplace_back(std::move(key), std::move(value));
  return entries_.back().second;
}

bool ConfigNode::erase(std::string_view key) {
  if (type_ != Type::Table) return false;
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& entry) { return entry.first == key; });
  if (it == entries_.end()) return false;
  entries_.erase(it);
  return true;
}

namespace {

std::vector<std::string_view> split_path(std::string_view dotted) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= dotted.size()) {
    const std::size_t dot = dotted.find('.', start);
    const std::size_t end = dot == std::string_view::npos ? dotted.size() : dot;
    parts.push_back(dotted.substr(start, end - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

// One step of a path: a table key, an array index, or the array element whose `name` matches.
const ConfigNode* step(const ConfigNode& node, std::string_view part) {
  if (node.is_table()) return node.find(part);
  if (!node.is_array()) return nullptr;
  const auto& items = node.items();
  std::size_t index = 0;
  const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), index);
  if (error == std::errc() && end == part.data() + part.size())
    return index < items.size() ? &items[index] : nullptr;
  for (const auto& item : items) {
    const ConfigNode* name = item.find("name");
    if (name && name->type() == ConfigNode::Type::String && name->as_string() == part) return &item;
  }
  return nullptr;
}

}  // namespace

const ConfigNode* ConfigNode::find_path(std::string_view dotted) const {
  const ConfigNode* node = this;
  for (std::string_view part : split_path(dotted)) {
    node = step(*node, part);
    if (!node) return nullptr;
  }
  return node;
}

ConfigNode* ConfigNode::find_path(std::string_view dotted) {
  return const_cast<ConfigNode*>(static_cast<const ConfigNode&>(*this).find_path(dotted));
}

ConfigNode& ConfigNode::set_path(std::string_view dotted, ConfigNode value) {
  const auto parts = split_path(dotted);
  ConfigNode* node = this;
  std::string walked;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string_view part = parts[i];
    if (part.empty()) throw ConfigError("invalid key path '" + std::string(dotted) + "'");
    walked += (walked.empty() ? "" : ".") + std::string(part);
    if (i + 1 == parts.size()) break;
    ConfigNode* next = nullptr;
    if (node->is_array()) {
      next = const_cast<ConfigNode*>(step(*node, part));
      if (!next)
        throw ConfigError("key path '" + std::string(dotted) + "': no element '" +
                          std::string(part) + "' in the array at '" + walked + "'");
    } else if (node->is_table()) {
      next = node->find(part);
      if (!next) next = &node->set(std::string(part), ConfigNode::table(value.origin()));
    }
    if (!next || !(next->is_table() || next->is_array()))
      throw ConfigError("key path '" + std::string(dotted) + "': '" + walked + "' is a " +
                        (next ? next->type_name() : node->type_name()) + ", not a table" +
                        (next ? " (set at " + next->origin().str() + ")" : ""));
    node = next;
  }
  const std::string last(parts.back());
  if (node->is_array()) {
    ConfigNode* slot = const_cast<ConfigNode*>(step(*node, last));
    if (!slot)
      throw ConfigError("key path '" + std::string(dotted) + "': no element '" + last + "'");
    *slot = std::move(value);
    return *slot;
  }
  if (!node->is_table())
    throw ConfigError("key path '" + std::string(dotted) + "': parent is not a table");
  return node->set(last, std::move(value));
}

bool ConfigNode::operator==(const ConfigNode& other) const {
  if (type_ != other.type_) return false;
  switch (type_) {
    case Type::Bool:
      return bool_ == other.bool_;
    case Type::Int:
      return int_ == other.int_;
    case Type::Float:
      return float_ == other.float_;
    case Type::String:
      return string_ == other.string_;
    case Type::Array:
      return items_ == other.items_;
    case Type::Table: {
      if (entries_.size() != other.entries_.size()) return false;
      for (const auto& [key, value] : entries_) {
        const ConfigNode* match = other.find(key);
        if (!match || *match != value) return false;
      }
      return true;
    }
  }
  return false;
}

}  // namespace dac

namespace dac {

std::filesystem::path resolve_config_path(const ConfigNode& string_value) {
  std::filesystem::path path(string_value.as_string());
  const SourceLocation& origin = string_value.origin();
  if (path.is_absolute() || !origin.source || origin.line <= 0) return path;
  return (std::filesystem::path(*origin.source).parent_path() / path).lexically_normal();
}

}  // namespace dac
