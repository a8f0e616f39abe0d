// JSON renderings of the configuration tree: in insertion order for humans and records, and
// canonical (sorted keys, shortest round-trip numbers) for content hashes.
#include <algorithm>
#include <charconv>
#include <cmath>

#include "dac/config.hpp"

namespace dac {

std::string json_quote(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          static const char* digits = "0123456789abcdef";
          out += "\\u00";
          out += digits[c >> 4];
          out += digits[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

namespace {

std::string number_text(double value) {
  if (std::isnan(value)) return "null";
  if (std::isinf(value)) return value > 0 ? "1e999" : "-1e999";
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string text(buffer, result.ptr);
  // Keep floats recognisable as floats: 1 -> 1.0.
  if (text.find_first_of(".eE") == std::string::npos) text += ".0";
  return text;
}

void write_json(const ConfigNode& node, bool sorted, std::string& out) {
  switch (node.type()) {
    case ConfigNode::Type::Bool:
      out += node.as_bool() ? "true" : "false";
      return;
    case ConfigNode::Type::Int:
      out += std::to_string(node.as_int());
      return;
    case ConfigNode::Type::Float:
      out += number_text(node.as_float());
      return;
    case ConfigNode::Type::String:
      out += json_quote(node.as_string());
      return;
    case ConfigNode::Type::Array: {
      out += '[';
      bool first = true;
      for (const auto& item : node.items()) {
        if (!first) out += ',';
        first = false;
        write_json(item, sorted, out);
      }
      out += ']';
      return;
    }
    case ConfigNode::Type::Table: {
      std::vector<const ConfigNode::Entry*> entries;
      for (const auto& entry : node.entries()) entries.push_back(&entry);
      if (sorted)
        std::sort(entries.begin(), entries.end(),
                  [](const auto* a, const auto* b) { return a->first < b->first; });
      out += '{';
      bool first = true;
      for (const auto* entry : entries) {
        if (!first) out += ',';
        first = false;
        out += json_quote(entry->first);
        out += ':';
        write_json(entry->second, sorted, out);
      }
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string to_json(const ConfigNode& node) {
  std::string out;
  write_json(node, false, out);
  return out;
}

std::string canonical_json(const ConfigNode& node) {
  std::string out;
  write_json(node, true, out);
  return out;
}

}  // namespace dac
