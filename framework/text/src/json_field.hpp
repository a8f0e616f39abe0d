// A small, strict JSON scanner for JSON Lines corpora: checks that a line is one JSON object and
// decodes one top-level string field of it, skipping every other value without building it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dac::text::detail {

enum class JsonFieldStatus { kFound, kMissing, kNotString, kMalformed };

struct JsonFieldResult {
  JsonFieldStatus status = JsonFieldStatus::kMissing;
  std::string message;           // what is wrong, with a 1-based column, when not kFound
  std::size_t replacements = 0;  // lone UTF-16 surrogates (\uD800 alone) decoded as U+FFFD
};

// Decodes the string field `name` of the JSON object `line` into `out` (the last one when the key
// repeats). The whole line must be valid JSON; other values of any type and depth are skipped.
JsonFieldResult extract_json_string_field(std::string_view line, std::string_view name,
                                          std::string& out);

}  // namespace dac::text::detail
