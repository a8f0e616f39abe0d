// TOML text of the configuration tree (resolved configs, `dacrun config`), optionally with a
// comment after each value saying where it was set. The output parses back to an equal tree.
#include <charconv>
#include <cmath>

#include "dac/config.hpp"

namespace dac {
namespace {

bool is_bare_key(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!allowed) return false;
  }
  return true;
}

// A TOML basic string: its escapes (\" \\ \n \uXXXX ...) are JSON's, so json_quote serves.
std::string quote(std::string_view text) { return json_quote(text); }

std::string key_text(std::string_view key) {
  return is_bare_key(key) ? std::string(key) : quote(key);
}

// Shortest text that reads back as the same double, always recognisable as a float.
std::string float_text(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string text(buffer, result.ptr);
  if (text.find_first_of(".eE") == std::string::npos) text += ".0";
  return text;
}

std::string inline_value(const ConfigNode& node) {
  switch (node.type()) {
    case ConfigNode::Type::Bool:
      return node.as_bool() ? "true" : "false";
    case ConfigNode::Type::Int:
      return std::to_string(node.as_int());
    case ConfigNode::Type::Float:
      return float_text(node.as_float());
    case ConfigNode::Type::String:
      return quote(node.as_string());
    case ConfigNode::Type::Array: {
      std::string out = "[";
      for (const ConfigNode& item : node.items())
        out += (out.size() > 1 ? ", " : "") + inline_value(item);
      return out + "]";
    }
    case ConfigNode::Type::Table: {
      if (node.entries().empty()) return "{}";
      std::string out = "{ ";
      for (const auto& [key, value] : node.entries())
        out += (out.size() > 2 ? ", " : "") + key_text(key) + " = " + inline_value(value);
      return out + " }";
    }
  }
  return "";
}

// A comment ends at the line's end and may hold no control characters but tabs.
std::string comment_text(std::string text) {
  for (char& c : text)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) c = ' ';
  return text;
}

bool is_table_array(const ConfigNode& node) {
  if (!node.is_array() || node.items().empty()) return false;
  for (const ConfigNode& item : node.items())
    if (!item.is_table()) return false;
  return true;
}

// Values written under a [header] of their own rather than as `key = value` lines.
bool is_section(const ConfigNode& node) {
  return node.is_table() || is_table_array(node);
}

class TomlWriter {
 public:
  explicit TomlWriter(bool with_origins) : with_origins_(with_origins) {}

  // Writes `table` found at `header` ("" for the document). Array elements get [[header]].
  void write_table(const ConfigNode& table, const std::string& header, bool array_element) {
    bool has_values = false, has_sections = false;
    for (const auto& [key, value] : table.entries())
      (is_section(value) ? has_sections : has_values) = true;
    // A table holding only sub-tables is implied by their headers.
    if (array_element)
      start_section("[[" + header + "]]");
    else if (!header.empty() && (has_values || !has_sections))
      start_section("[" + header + "]");

    for (const auto& [key, value] : table.entries())
      if (!is_section(value)) write_value_line(key, value);
    for (const auto& [key, value] : table.entries()) {
      if (!is_section(value)) continue;
      const std::string child = (header.empty() ? "" : header + ".") + key_text(key);
      if (value.is_table()) {
        write_table(value, child, false);
      } else {
        for (const ConfigNode& item : value.items()) write_table(item, child, true);
      }
    }
  }

  std::string take() { return std::move(out_); }

 private:
  void start_section(const std::string& header_line) {
    if (!out_.empty()) out_ += '\n';
    out_ += header_line + '\n';
  }

  void write_value_line(const std::string& key, const ConfigNode& value) {
    out_ += key_text(key) + " = " + inline_value(value);
    if (with_origins_) out_ += "  # " + comment_text(value.origin().str());
    out_ += '\n';
  }

  bool with_origins_;
  std::string out_;
};

}  // namespace

std::string to_toml(const ConfigNode& table, bool with_origins) {
  TomlWriter writer(with_origins);
  writer.write_table(table, "", false);
  return writer.take();
}

}  // namespace dac
