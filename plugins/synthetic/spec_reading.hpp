// Small helpers for reading the grammar and lexicon files: typed look-ups whose errors name the
// file position and the key, and whitespace splitting.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dac/config.hpp"
#include "dac/error.hpp"

namespace dac::synthetic {

[[noreturn]] inline void spec_error(const ConfigNode& where, const std::string& message) {
  throw UserError(where.origin().str() + ": " + message);
}

// The value of `key` in `table`, which must exist and have type `type`.
inline const ConfigNode& require(const ConfigNode& table, std::string_view key,
                                 ConfigNode::Type type) {
  const ConfigNode* value = table.find(key);
  if (value == nullptr) spec_error(table, "missing key '" + std::string(key) + "'");
  if (value->type() != type)
    spec_error(*value, "'" + std::string(key) + "' must be a " + ConfigNode::type_name(type) +
                           ", not a " + value->type_name());
  return *value;
}

inline std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    std::size_t end = i;
    while (end < text.size() && text[end] != ' ' && text[end] != '\t') ++end;
    if (end > i) words.push_back(text.substr(i, end - i));
    i = end;
  }
  return words;
}

}  // namespace dac::synthetic
