// Reading minimal pairs from JSON Lines, one pair per line, every error naming the file and line.
#include "dac/glue/minimal_pairs.hpp"

#include <utility>

#include "dac/error.hpp"
#include "dac/file_text.hpp"
#include "dac/json_chars.hpp"
#include "dac/json_reader.hpp"

namespace dac::glue {
namespace {

constexpr std::string_view kAgreementSuffix = "_agreement";

bool is_blank(std::string_view line) {
  for (char c : line)
    if (!json_chars::is_space(c)) return false;
  return true;
}

// Reads the fields of one line's object; errors say "SOURCE:LINE: ...".
class LineFields {
 public:
  LineFields(const JsonValue& object, std::string where)
      : object_(object), where_(std::move(where)) {}

  // A string field (or an integer, when `number_too`); "" when absent and not required.
  std::string text(std::string_view key, bool required, bool number_too = false) const {
    const JsonValue* value = object_.find(key);
    if (value == nullptr || value->is_null()) {
      if (required) fail("no \"" + std::string(key) + "\" field");
      return "";
    }
    if (value->is_string()) return value->as_string();
    if (number_too && value->type() == JsonValue::Type::Int) return std::to_string(value->as_int());
    fail("\"" + std::string(key) + "\" is a " + value->type_name() + ", expected a string");
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw UserError(where_ + ": " + what); }

  const JsonValue& object_;
  std::string where_;
};

MinimalPair pair_from_line(std::string_view line, const std::string& where) {
  JsonValue value;
  try {
    value = parse_json(line);
  } catch (const JsonError& error) {
    throw UserError(where + ": not a JSON line: " + error.what());
  }
  if (!value.is_object())
    throw UserError(where + ": expected a JSON object with sentence_good and sentence_bad, got a " +
                    value.type_name());
  const LineFields fields(value, where);
  MinimalPair pair;
  pair.good = fields.text("sentence_good", true);
  pair.bad = fields.text("sentence_bad", true);
  pair.agreement_type = agreement_type_of(fields.text("agreement_type", false),
                                          fields.text("linguistics_term", false));
  pair.uid = fields.text("UID", false);
  pair.pair_id = fields.text("pairID", false, /*number_too=*/true);
  return pair;
}

}  // namespace

std::string agreement_type_of(std::string_view agreement_type, std::string_view linguistics_term) {
  if (!agreement_type.empty()) return std::string(agreement_type);
  if (linguistics_term.ends_with(kAgreementSuffix) &&
      linguistics_term.size() > kAgreementSuffix.size())
    linguistics_term.remove_suffix(kAgreementSuffix.size());
  if (!linguistics_term.empty()) return std::string(linguistics_term);
  return "other";
}

std::vector<MinimalPair> parse_minimal_pairs(std::string_view text, const std::string& source,
                                             std::size_t max_pairs) {
  std::vector<MinimalPair> pairs;
  std::size_t line_number = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (is_blank(line)) continue;
    if (max_pairs > 0 && pairs.size() == max_pairs) break;
    MinimalPair pair = pair_from_line(line, source + ":" + std::to_string(line_number));
    pair.line = line_number;
    pairs.push_back(std::move(pair));
  }
  return pairs;
}

std::vector<MinimalPair> read_minimal_pairs(const std::filesystem::path& path,
                                            std::size_t max_pairs) {
  return parse_minimal_pairs(read_whole_file(path, "minimal pairs file"), path.string(), max_pairs);
}

}  // namespace dac::glue
