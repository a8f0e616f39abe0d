// Summarising a Chrome trace from the Kineto profiler: complete events ("ph": "X") grouped by
// name, device work by duration, CPU operators by self time, divided by the profiled steps.
#include "dac/train/trace_profile.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string_view>
#include <utility>

#include "dac/error.hpp"
#include "dac/file_text.hpp"
#include "dac/json_reader.hpp"

namespace dac::train {

namespace {

// A complete event of the trace: a span of `dur` microseconds from `ts` on one thread or stream.
struct Span {
  std::string name;
  std::string thread;  // "pid/tid"
  double start = 0;
  double duration = 0;
};

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

// Kineto's categories of device work (older versions wrote "Kernel", "Memcpy", "Memset").
bool is_device_category(const std::string& category) {
  return category == "kernel" || category == "gpu_memcpy" || category == "gpu_memset" ||
         category == "memcpy" || category == "memset";
}

// CPU operators ("Operator" in older Kineto versions).
bool is_cpu_operator_category(const std::string& category) {
  return category == "cpu_op" || category == "operator";
}

std::string scalar_text(const JsonValue* value) {
  if (value == nullptr) return "";
  switch (value->type()) {
    case JsonValue::Type::String:
      return value->as_string();
    case JsonValue::Type::Int:
      return std::to_string(value->as_int());
    case JsonValue::Type::Float:
      return fmt::format("{}", value->as_number());
    default:
      return "";
  }
}

const std::vector<JsonValue>& trace_events(const JsonValue& root, const std::string& source) {
  if (root.is_array()) return root.items();  // the bare-array form of the format
  const JsonValue* events = root.is_object() ? root.find("traceEvents") : nullptr;
  if (events == nullptr || !events->is_array())
    throw UserError("profiler trace '" + source + "' has no \"traceEvents\" array");
  return events->items();
}

// Self time of each span: its duration less those of the spans directly nested in it on the
// same thread (a span is nested when it lies within the other, to a nanosecond of rounding).
std::vector<double> self_times(const std::vector<Span>& spans) {
  std::vector<std::size_t> order(spans.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Span& x = spans[a];
    const Span& y = spans[b];
    if (x.thread != y.thread) return x.thread < y.thread;
    if (x.start != y.start) return x.start < y.start;
    return x.duration > y.duration;  // the enclosing span first
  });
  constexpr double kRounding = 1e-3;
  std::vector<double> self(spans.size());
  std::vector<std::size_t> open;  // enclosing spans of the current thread, innermost last
  for (std::size_t i : order) {
    const Span& span = spans[i];
    self[i] = span.duration;
    while (!open.empty()) {
      const Span& outer = spans[open.back()];
      if (outer.thread == span.thread &&
          span.start + span.duration <= outer.start + outer.duration + kRounding)
        break;
      open.pop_back();
    }
    if (!open.empty()) self[open.back()] -= span.duration;
    open.push_back(i);
  }
  for (double& value : self) value = std::max(value, 0.0);
  return self;
}

}  // namespace

TraceSummary summarize_trace(const std::filesystem::path& path, std::int64_t steps) {
  if (steps < 1) throw UserError("a trace summary needs at least one profiled step");
  const std::string source = path.string();
  JsonValue root;
  try {
    root = parse_json(read_whole_file(path, "profiler trace"));
  } catch (const JsonError& error) {
    throw UserError("profiler trace '" + source + "' is not valid JSON: " + error.what());
  }

  std::vector<Span> device_spans, cpu_spans;
  for (const JsonValue& event : trace_events(root, source)) {
    if (!event.is_object()) continue;
    const JsonValue* phase = event.find("ph");
    const JsonValue* category = event.find("cat");
    const JsonValue* name = event.find("name");
    const JsonValue* start = event.find("ts");
    const JsonValue* duration = event.find("dur");
    if (phase == nullptr || !phase->is_string() || phase->as_string() != "X" ||
        category == nullptr || !category->is_string() || name == nullptr || !name->is_string() ||
        start == nullptr || !start->is_number() || duration == nullptr || !duration->is_number())
      continue;
    const std::string kind = lower(category->as_string());
    const bool device = is_device_category(kind);
    if (!device && !is_cpu_operator_category(kind)) continue;
    Span span{name->as_string(),
              scalar_text(event.find("pid")) + "/" + scalar_text(event.find("tid")),
              start->as_number(), std::max(duration->as_number(), 0.0)};
    (device ? device_spans : cpu_spans).push_back(std::move(span));
  }

  TraceSummary summary;
  summary.steps = steps;
  summary.device = !device_spans.empty();
  const std::vector<Span>& spans = summary.device ? device_spans : cpu_spans;
  const std::vector<double> times = summary.device ? std::vector<double>{} : self_times(cpu_spans);
  summary.measured = summary.device ? "device kernels, memcpy and memset, total time"
                                    : "CPU operators (cpu_op), self time";
  summary.events = static_cast<std::int64_t>(spans.size());

  std::map<std::string, std::pair<std::int64_t, double>> by_name;  // calls, microseconds
  double total = 0;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const double us = summary.device ? spans[i].duration : times[i];
    auto& [calls, time] = by_name[spans[i].name];
    ++calls;
    time += us;
    total += us;
  }
  const auto per_step = static_cast<double>(steps);
  summary.total_us_per_step = total / per_step;
  for (const auto& [name, figures] : by_name) {
    TraceEntry entry;
    entry.name = name;
    entry.calls_per_step = static_cast<double>(figures.first) / per_step;
    entry.us_per_step = figures.second / per_step;
    entry.share = total > 0 ? figures.second / total : 0;
    summary.entries.push_back(std::move(entry));
  }
  std::stable_sort(
      summary.entries.begin(), summary.entries.end(),
      [](const TraceEntry& a, const TraceEntry& b) { return a.us_per_step > b.us_per_step; });
  return summary;
}

std::string format_trace_summary(const TraceSummary& summary, std::size_t top) {
  constexpr std::size_t kNameWidth = 70;
  std::string text = fmt::format(
      "profile over {} step{}: {}; {:.1f} us/step in {} events; top {} of {} names\n",
      summary.steps, summary.steps == 1 ? "" : "s", summary.measured, summary.total_us_per_step,
      summary.events, std::min(top, summary.entries.size()), summary.entries.size());
  text += fmt::format("{:>12} {:>7} {:>11}  {}\n", "us/step", "share", "calls/step", "name");
  for (std::size_t i = 0; i < summary.entries.size() && i < top; ++i) {
    const TraceEntry& entry = summary.entries[i];
    std::string name = entry.name;
    if (name.size() > kNameWidth) name = name.substr(0, kNameWidth - 3) + "...";
    text += fmt::format("{:>12.1f} {:>6.1f}% {:>11.1f}  {}\n", entry.us_per_step, 100 * entry.share,
                        entry.calls_per_step, name);
  }
  return text;
}

}  // namespace dac::train
