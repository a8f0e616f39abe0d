// Reading configs: TOML text and files into the configuration tree (with origins), `base`
// includes, deep merging and --set overrides. The only file that sees toml++.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <sstream>

#include "dac/config.hpp"
#include "dac/error.hpp"
#include "dac/file_text.hpp"
#include "dac/options.hpp"
#include "dac/suggest.hpp"

// Header-only unless the build links the shared library (its CMake target sets TOML_SHARED_LIB).
#ifndef TOML_HEADER_ONLY
#define TOML_HEADER_ONLY 1
#endif
#include <toml++/toml.h>

namespace dac {
namespace {

namespace fs = std::filesystem;
using SourceName = std::shared_ptr<const std::string>;

SourceLocation location(const toml::source_region& region, const SourceName& source) {
  return SourceLocation{source, static_cast<int>(region.begin.line),
                        static_cast<int>(region.begin.column)};
}

// Dates and times in their ISO form, as toml++ prints them.
template <typename T>
std::string iso_text(const T& value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

ConfigNode convert(const toml::node& node, const SourceName& source);

ConfigNode convert_table(const toml::table& table, const SourceName& source) {
  // toml++ keeps keys sorted; restore the order in which they were written.
  std::vector<std::pair<const toml::key*, const toml::node*>> entries;
  for (const auto& [key, value] : table) entries.emplace_back(&key, &value);
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const auto& x = a.first->source().begin;
    const auto& y = b.first->source().begin;
    return x.line != y.line ? x.line < y.line : x.column < y.column;
  });
  ConfigNode result = ConfigNode::table(location(table.source(), source));
  for (const auto& [key, value] : entries)
    result.set(std::string(key->str()), convert(*value, source));
  return result;
}

ConfigNode convert(const toml::node& node, const SourceName& source) {
  const SourceLocation origin = location(node.source(), source);
  switch (node.type()) {
    case toml::node_type::table:
      return convert_table(*node.as_table(), source);
    case toml::node_type::array: {
      ConfigNode array = ConfigNode::array(origin);
      for (const toml::node& item : *node.as_array()) array.push_back(convert(item, source));
      return array;
    }
    case toml::node_type::string:
      return ConfigNode::string(node.as_string()->get(), origin);
    case toml::node_type::integer:
      return ConfigNode::integer(node.as_integer()->get(), origin);
    case toml::node_type::floating_point:
      return ConfigNode::real(node.as_floating_point()->get(), origin);
    case toml::node_type::boolean:
      return ConfigNode::boolean(node.as_boolean()->get(), origin);
    case toml::node_type::date:
      return ConfigNode::string(iso_text(node.as_date()->get()), origin);
    case toml::node_type::time:
      return ConfigNode::string(iso_text(node.as_time()->get()), origin);
    case toml::node_type::date_time:
      return ConfigNode::string(iso_text(node.as_date_time()->get()), origin);
    case toml::node_type::none:
      break;
  }
  throw std::logic_error("toml++ returned a node without a type");
}

// Parses a document, turning toml++'s errors into ConfigErrors at the error's position.
toml::table parse_document(std::string_view text, const SourceName& source) {
  try {
    return toml::parse(text, *source);
  } catch (const toml::parse_error& error) {
    throw ConfigError(location(error.source(), source).str() +
                      ": TOML syntax error: " + std::string(error.description()));
  }
}

// A file on the include chain: how it is shown, and its identity for cycle detection.
struct IncludeStep {
  fs::path shown;
  fs::path identity;
};

std::string chain_text(const std::vector<IncludeStep>& chain, const fs::path& last) {
  std::string text;
  for (const IncludeStep& step : chain) text += step.shown.string() + " -> ";
  return text + last.string();
}

// The files named by `base`: a string or an array of strings.
std::vector<const ConfigNode*> base_entries(const ConfigNode& base) {
  std::vector<const ConfigNode*> entries;
  if (base.type() == ConfigNode::Type::String) {
    entries.push_back(&base);
  } else if (base.is_array()) {
    for (std::size_t i = 0; i < base.items().size(); ++i) {
      const ConfigNode& item = base.items()[i];
      if (item.type() != ConfigNode::Type::String)
        config_fail(item, "base[" + std::to_string(i) + "]",
                    std::string("expected a string (a config file path), got ") + item.type_name());
      entries.push_back(&item);
    }
  } else {
    config_fail(base, "base",
                std::string("expected a string or an array of strings, got ") + base.type_name());
  }
  return entries;
}

// Loads `path` and its bases. `named_by` is the `base` entry that included it (null at the top).
ConfigNode load_with_bases(const fs::path& path, std::vector<IncludeStep>& chain,
                           const ConfigNode* named_by) {
  std::error_code ignored;
  const fs::path identity = fs::weakly_canonical(fs::absolute(path, ignored), ignored);
  const std::string where = named_by ? named_by->origin().str() + ": base: " : std::string();
  for (const IncludeStep& step : chain)
    if (step.identity == identity)
      throw ConfigError(where + "config include cycle: " + chain_text(chain, path));

  std::string text;
  try {
    text = read_whole_file(path, "config file");
  } catch (const UserError& error) {
    if (!named_by) throw;
    throw ConfigError(where + error.what());
  }
  ConfigNode own = parse_toml(text, path.string());
  const ConfigNode* base = own.find("base");
  if (!base) return own;

  ConfigNode merged = ConfigNode::table();
  chain.push_back({path, identity});
  for (const ConfigNode* entry : base_entries(*base)) {
    const fs::path base_path = (path.parent_path() / entry->as_string()).lexically_normal();
    merge_into(merged, load_with_bases(base_path, chain, entry));
  }
  chain.pop_back();
  own.erase("base");
  merge_into(merged, own);
  return merged;
}

void set_origin_everywhere(ConfigNode& node, const SourceLocation& origin) {
  node.set_origin(origin);
  if (node.is_array())
    for (ConfigNode& item : node.items()) set_origin_everywhere(item, origin);
  if (node.is_table())
    for (const std::string& key : node.keys()) set_origin_everywhere(*node.find(key), origin);
}

std::string_view trim(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

bool valid_key_path(std::string_view key) {
  const auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  };
  bool component_empty = true;
  for (char c : key) {
    if (c == '.') {
      if (component_empty) return false;
      component_empty = true;
    } else if (!allowed(c)) {
      return false;
    } else {
      component_empty = false;
    }
  }
  return !component_empty;
}

// An override value typed as TOML, or nullopt when the text is not a single TOML value.
std::optional<ConfigNode> parse_value(std::string_view text, const SourceName& source) {
  const std::string document = "v = " + std::string(text);
  toml::table table;
  try {
    table = toml::parse(document, *source);
  } catch (const toml::parse_error&) {
    return std::nullopt;
  }
  if (table.size() != 1 || !table.contains("v")) return std::nullopt;
  return convert(*table.get("v"), source);
}

}  // namespace

ConfigNode parse_toml(std::string_view text, const std::string& source_name) {
  const auto source = std::make_shared<const std::string>(source_name);
  const toml::table document = parse_document(text, source);
  ConfigNode root = convert_table(document, source);
  // The document itself starts at the top of the file.
  root.set_origin(SourceLocation{source, 1, 1});
  return root;
}

ConfigNode parse_toml_file(const std::filesystem::path& path) {
  return parse_toml(read_whole_file(path, "config file"), path.string());
}

ConfigNode load_config(const std::filesystem::path& path) {
  std::vector<IncludeStep> chain;
  return load_with_bases(path, chain, nullptr);
}

namespace {

// A table merged onto an array of tables: each key names the element whose `name` equals it, so
// `[variants.short.stages.pretrain]` or `--set stages.pretrain.steps=10` changes one stage.
void merge_into_named_elements(ConfigNode& array, const ConfigNode& overlay,
                               const std::string& path) {
  for (const auto& [name, value] : overlay.entries()) {
    ConfigNode* element = array.find_path(name);
    if (!element || !element->is_table() || !value.is_table()) {
      std::vector<std::string> names;
      for (const auto& item : array.items())
        if (const ConfigNode* item_name = item.find("name");
            item_name && item_name->type() == ConfigNode::Type::String)
          names.push_back(item_name->as_string());
      throw ConfigError(value.origin().str() + ": " + path + "." + name + ": " +
                        (element
                             ? "expected a table of keys to change in that element"
                             : "no element of '" + path + "' is named '" + name + "'" +
                                   did_you_mean(name, names) + "; names: " + join_names(names)));
    }
    merge_into(*element, value);
  }
}

}  // namespace

void merge_into(ConfigNode& target, const ConfigNode& overlay) {
  if (!target.is_table() || !overlay.is_table()) {
    target = overlay;
    return;
  }
  // A table takes the position of the last file that wrote it; overrides only add values.
  if (overlay.origin().line > 0 || !target.origin().source) target.set_origin(overlay.origin());
  for (const auto& [key, value] : overlay.entries()) {
    ConfigNode* existing = target.find(key);
    if (existing && existing->is_table() && value.is_table())
      merge_into(*existing, value);
    else if (existing && existing->is_array() && value.is_table())
      merge_into_named_elements(*existing, value, key);
    else
      target.set(key, value);
  }
}

ConfigNode parse_override(std::string_view assignment) {
  const std::string quoted = "--set '" + std::string(assignment) + "'";
  const std::size_t equals = assignment.find('=');
  if (equals == std::string_view::npos)
    throw ConfigError(quoted + ": expected key=value, e.g. --set train.lr=1e-3");
  const std::string_view key = trim(assignment.substr(0, equals));
  const std::string_view text = trim(assignment.substr(equals + 1));
  if (!valid_key_path(key))
    throw ConfigError(quoted + ": invalid key path '" + std::string(key) + "'");
  if (text.empty())
    throw ConfigError(quoted + ": missing value (write " + std::string(key) +
                      "='' for an empty string)");

  const auto source = std::make_shared<const std::string>("--set " + std::string(assignment));
  const SourceLocation origin{source, 0, 0};
  std::optional<ConfigNode> value = parse_value(text, source);
  if (!value) value = ConfigNode::string(std::string(text));
  set_origin_everywhere(*value, origin);
  ConfigNode result = ConfigNode::table(origin);
  result.set_path(key, std::move(*value));
  return result;
}

}  // namespace dac
