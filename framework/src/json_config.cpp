// JSON documents as configuration trees: the JsonValue tree converted node by node, each node
// remembering the file it came from.
#include "dac/json_config.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>

#include "dac/error.hpp"
#include "dac/file_text.hpp"

namespace dac {
namespace {

ConfigNode convert(const JsonValue& value, const SourceLocation& origin) {
  switch (value.type()) {
    case JsonValue::Type::Null:
      return ConfigNode::real(std::numeric_limits<double>::quiet_NaN(), origin);
    case JsonValue::Type::Bool:
      return ConfigNode::boolean(value.as_bool(), origin);
    case JsonValue::Type::Int:
      return ConfigNode::integer(value.as_int(), origin);
    case JsonValue::Type::Float:
      return ConfigNode::real(value.as_number(), origin);
    case JsonValue::Type::String:
      return ConfigNode::string(value.as_string(), origin);
    case JsonValue::Type::Array: {
      ConfigNode array = ConfigNode::array(origin);
      for (const JsonValue& item : value.items()) array.push_back(convert(item, origin));
      return array;
    }
    case JsonValue::Type::Object: {
      ConfigNode table = ConfigNode::table(origin);
      for (const auto& [key, member] : value.members()) table.set(key, convert(member, origin));
      return table;
    }
  }
  return ConfigNode::table(origin);
}

}  // namespace

ConfigNode json_to_config(const JsonValue& value, const std::string& source) {
  return convert(value, SourceLocation{std::make_shared<const std::string>(source), 0, 0});
}

ConfigNode parse_json_config(std::string_view text, const std::string& source) {
  try {
    return json_to_config(parse_json(text), source);
  } catch (const JsonError& error) {
    throw UserError(source + ": JSON syntax error " + error.what());
  }
}

ConfigNode read_json_config_file(const std::filesystem::path& path) {
  return parse_json_config(read_whole_file(path, "JSON file"), path.string());
}

}  // namespace dac
