// Human renderings of run records: the one-line form used by the log file and plain consoles,
// the in-place progress bar of terminals, short durations and numbers.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

#include "dac/records.hpp"

namespace dac {
namespace {

// The fields of a Progress record's values; missing or mistyped fields read as zero/empty.
struct ProgressFields {
  std::uint64_t done = 0;
  std::uint64_t total = 0;  // 0: unknown
  std::string unit;
  double rate = 0;
  std::optional<double> eta_s;
  std::string detail;
};

double number_value(const ConfigNode& values, std::string_view key, double fallback = 0) {
  const ConfigNode* node = values.find(key);
  return node && node->is_number() ? node->as_float() : fallback;
}

ProgressFields progress_fields(const Record& record) {
  ProgressFields fields;
  fields.done = static_cast<std::uint64_t>(std::max(0.0, number_value(record.values, "done")));
  fields.total = static_cast<std::uint64_t>(std::max(0.0, number_value(record.values, "total")));
  const ConfigNode* unit = record.values.find("unit");
  if (unit && unit->type() == ConfigNode::Type::String) fields.unit = unit->as_string();
  fields.rate = number_value(record.values, "rate");
  double eta = number_value(record.values, "eta_s", NAN);
  if (fields.total > 0 && !std::isnan(eta)) fields.eta_s = eta;
  const ConfigNode* detail = record.values.find("detail");
  if (detail && detail->type() == ConfigNode::Type::String) fields.detail = detail->as_string();
  return fields;
}

std::string printf_text(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

std::string with_unit(std::string text, const std::string& unit) {
  return unit.empty() ? text : text + " " + unit;
}

// "1200/5000 docs", or "1200 docs" when the total is unknown.
std::string count_text(const ProgressFields& fields) {
  std::string count = std::to_string(fields.done);
  if (fields.total > 0) count += "/" + std::to_string(fields.total);
  return with_unit(count, fields.unit);
}

// "310 docs/s", "2.5 docs/s", "310/s".
std::string rate_text(const ProgressFields& fields) {
  std::string number = printf_text(fields.rate >= 100 ? "%.0f" : "%.3g", fields.rate);
  return with_unit(number, fields.unit) + "/s";
}

// Whole percent done, rounded down so that 100% means complete.
int percent_done(const ProgressFields& fields) {
  return static_cast<int>(fields.done * 100 / fields.total);
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const auto& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

// A metric value: numbers with four significant digits, strings as they are.
std::string value_text(const ConfigNode& value) {
  switch (value.type()) {
    case ConfigNode::Type::Int:
      return std::to_string(value.as_int());
    case ConfigNode::Type::Float:
      return printf_text("%.4g", value.as_float());
    case ConfigNode::Type::String:
      return value.as_string();
    default:
      return to_json(value);
  }
}

std::string metrics_text(const Record& record) {
  std::vector<std::string> parts;
  if (record.step >= 0) parts.push_back("step " + std::to_string(record.step));
  if (record.values.is_table()) {
    for (const auto& [key, value] : record.values.entries())
      parts.push_back(key + "=" + value_text(value));
  }
  return join(parts, "  ");
}

std::string log_text(const Record& record) {
  if (record.level == "warn" || record.level == "error")
    return record.level + ": " + record.message;
  return record.message;
}

// "tokenize: 1200/5000 docs (24%, 310 docs/s, ETA 12s)" or "tokenize: 1200 docs (310 docs/s)".
std::string progress_text(const Record& record) {
  ProgressFields fields = progress_fields(record);
  std::vector<std::string> details;
  if (fields.total > 0) details.push_back(std::to_string(percent_done(fields)) + "%");
  details.push_back(rate_text(fields));
  if (!fields.detail.empty()) details.push_back(fields.detail);
  if (fields.eta_s) details.push_back("ETA " + format_duration(*fields.eta_s));
  std::string text = count_text(fields) + " (" + join(details, ", ") + ")";
  return record.message.empty() ? text : record.message + ": " + text;
}

std::string event_text(const Record& record) {
  switch (record.event) {
    case Record::Event::Metrics:
      return metrics_text(record);
    case Record::Event::Progress:
      return progress_text(record);
    case Record::Event::Log:
      return log_text(record);
    case Record::Event::StageStart:
    case Record::Event::StageEnd:
      return record.message.empty() ? Record::event_name(record.event) : record.message;
  }
  return record.message;
}

// "06:30:01" from "2026-11-26T06:30:01.250Z"; placeholders when the record has no timestamp.
std::string time_of_day(const std::string& timestamp) {
  if (timestamp.size() < 19 || timestamp[10] != 'T') return "--:--:--";
  return timestamp.substr(11, 8);
}

std::string stage_tag(const Record& record) {
  return record.stage.empty() ? "" : "[" + record.stage + "]";
}

// Column count of UTF-8 text, one per code point.
std::size_t display_width(const std::string& text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

// Cuts text to at most `width` columns without splitting a UTF-8 sequence.
std::string truncate_to_width(const std::string& text, std::size_t width) {
  std::size_t columns = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool starts_character = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (starts_character && columns++ == width) return text.substr(0, i);
  }
  return text;
}

std::string bar_text(const ProgressFields& fields, std::size_t inner_width) {
  double fraction = static_cast<double>(fields.done) / static_cast<double>(fields.total);
  auto filled = std::min(inner_width, static_cast<std::size_t>(fraction * inner_width));
  return "[" + std::string(filled, '#') + std::string(inner_width - filled, '.') + "]";
}

}  // namespace

std::string format_record_line(const Record& record) {
  return join({time_of_day(record.timestamp), stage_tag(record), event_text(record)}, " ");
}

// "[stage] label [####....] 35% 1750/5000 docs 310 docs/s ETA 10s": the bar takes the columns
// the text leaves free (up to kMaxBar), and is dropped when fewer than kMinBar remain.
std::string format_progress_bar(const Record& record, int width) {
  constexpr std::size_t kMinBar = 10;
  constexpr std::size_t kMaxBar = 60;
  ProgressFields fields = progress_fields(record);
  std::string head = join({stage_tag(record), record.message}, " ");
  std::vector<std::string> tail;
  if (fields.total > 0) tail.push_back(std::to_string(percent_done(fields)) + "%");
  tail.push_back(count_text(fields));
  tail.push_back(rate_text(fields));
  if (!fields.detail.empty()) tail.push_back(fields.detail);
  if (fields.eta_s) tail.push_back("ETA " + format_duration(*fields.eta_s));
  std::string tail_text = join(tail, " ");

  std::size_t columns = static_cast<std::size_t>(std::max(width, 0));
  std::string line = join({head, tail_text}, " ");
  if (fields.total > 0) {
    std::size_t used = display_width(line) + 3;  // two brackets and a space
    if (used + kMinBar <= columns)
      line = join({head, bar_text(fields, std::min(columns - used, kMaxBar)), tail_text}, " ");
  }
  return truncate_to_width(line, columns);
}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  long long whole = std::llround(seconds);
  char buffer[48];
  if (whole < 60) {
    std::snprintf(buffer, sizeof buffer, "%llds", whole);
  } else if (whole < 3600) {
    std::snprintf(buffer, sizeof buffer, "%lldm%02llds", whole / 60, whole % 60);
  } else {
    long long minutes = std::llround(seconds / 60);
    std::snprintf(buffer, sizeof buffer, "%lldh%02lldm", minutes / 60, minutes % 60);
  }
  return buffer;
}

std::string format_number(double value) {
  return printf_text("%.6g", value);
}

}  // namespace dac
