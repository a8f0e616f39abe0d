// Run records: their JSON Lines form, the bus that stamps and fans them out to sinks, and the
// RunLog and Progress front ends that stages use to report logs, metrics and progress.
#include "dac/records.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <ctime>
#include <exception>
#include <string_view>
#include <utility>

namespace dac {

const char* Record::event_name(Event event) {
  switch (event) {
    case Event::Metrics:
      return "metrics";
    case Event::Progress:
      return "progress";
    case Event::Log:
      return "log";
    case Event::StageStart:
      return "stage_start";
    case Event::StageEnd:
      return "stage_end";
  }
  return "unknown";
}

namespace {

constexpr std::array<std::string_view, 8> kReservedFields = {
    "time", "elapsed_s", "event", "run", "stage", "step", "level", "message"};

// A value key as it appears in the JSON object: reserved field names get a "value_" prefix.
std::string value_field_name(const std::string& key) {
  bool reserved =
      std::find(kReservedFields.begin(), kReservedFields.end(), key) != kReservedFields.end();
  return reserved ? "value_" + key : key;
}

void append_field(std::string& out, std::string_view name, const std::string& json_value) {
  if (out.size() > 1) out += ',';
  out += json_quote(name);
  out += ':';
  out += json_value;
}

void append_string_field(std::string& out, std::string_view name, const std::string& text) {
  if (!text.empty()) append_field(out, name, json_quote(text));
}

// "2026-11-26T06:30:01.250Z".
std::string iso_timestamp(std::chrono::system_clock::time_point time) {
  auto since_epoch = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch());
  std::time_t seconds = static_cast<std::time_t>(since_epoch.count() / 1000);
  int millis = static_cast<int>(since_epoch.count() % 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[40];
  std::size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buffer + length, sizeof buffer - length, ".%03dZ", millis);
  return buffer;
}

double seconds_between(std::chrono::steady_clock::time_point from,
                       std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

std::string record_to_json(const Record& record) {
  std::string out = "{";
  append_field(out, "time", json_quote(record.timestamp));
  // Milliseconds are plenty and keep the lines short.
  append_field(out, "elapsed_s",
               to_json(ConfigNode::real(std::round(record.elapsed_s * 1000) / 1000)));
  append_field(out, "event", json_quote(Record::event_name(record.event)));
  append_string_field(out, "run", record.run);
  append_string_field(out, "stage", record.stage);
  if (record.step >= 0) append_field(out, "step", std::to_string(record.step));
  if (record.values.is_table()) {
    for (const auto& [key, value] : record.values.entries())
      append_field(out, value_field_name(key), to_json(value));
  } else {
    append_field(out, "value", to_json(record.values));
  }
  append_string_field(out, "level", record.level);
  append_string_field(out, "message", record.message);
  return out + "}";
}

// --- RecordBus ------------------------------------------------------------------------------

RecordBus::RecordBus() : start_(std::chrono::steady_clock::now()) {}

void RecordBus::add_sink(std::shared_ptr<RecordSink> sink) {
  std::lock_guard lock(mutex_);
  sinks_.push_back(std::move(sink));
}

void RecordBus::remove_sink(const std::shared_ptr<RecordSink>& sink) {
  std::lock_guard lock(mutex_);
  std::erase(sinks_, sink);
}

// Records that already carry a timestamp (replayed from elsewhere) keep their time and elapsed.
void RecordBus::emit(Record record) {
  std::lock_guard lock(mutex_);
  if (record.timestamp.empty()) {
    record.timestamp = iso_timestamp(std::chrono::system_clock::now());
    record.elapsed_s = seconds_between(start_, std::chrono::steady_clock::now());
  }
  for (const auto& sink : sinks_) sink->write(record);
}

void RecordBus::flush() {
  std::lock_guard lock(mutex_);
  for (const auto& sink : sinks_) sink->flush();
}

double RecordBus::elapsed_s() const {
  return seconds_between(start_, std::chrono::steady_clock::now());
}

// --- RunLog ---------------------------------------------------------------------------------

RunLog::RunLog(RecordBus& bus, std::string run, std::string stage)
    : bus_(bus), run_(std::move(run)), stage_(std::move(stage)) {}

void RunLog::info(const std::string& message) {
  log("info", message);
}
void RunLog::warn(const std::string& message) {
  log("warn", message);
}
void RunLog::error(const std::string& message) {
  log("error", message);
}

void RunLog::log(const char* level, const std::string& message) {
  Record record;
  record.event = Record::Event::Log;
  record.run = run_;
  record.stage = stage_;
  record.level = level;
  record.message = message;
  bus_.emit(std::move(record));
}

void RunLog::metrics(std::int64_t step, ConfigNode values) {
  Record record;
  record.event = Record::Event::Metrics;
  record.run = run_;
  record.stage = stage_;
  record.step = step;
  record.values = std::move(values);
  bus_.emit(std::move(record));
}

// --- Progress -------------------------------------------------------------------------------

Progress::Progress(RunLog& log, std::string label, std::uint64_t total, std::string unit,
                   double min_interval_s)
    : log_(log),
      label_(std::move(label)),
      total_(total),
      unit_(std::move(unit)),
      min_interval_s_(min_interval_s),
      start_(std::chrono::steady_clock::now()),
      last_emit_(start_) {}

Progress::~Progress() {
  try {
    finish();
  } catch (const std::exception&) {
    // A failing sink must not turn into a crash during cleanup.
  }
}

void Progress::advance(std::uint64_t amount) {
  done_ += amount;
  maybe_emit(false);
}

void Progress::set(std::uint64_t done) {
  done_ = done;
  maybe_emit(false);
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  maybe_emit(true);
}

// Completion (done reaching a known total) is reported by finish() alone, so it appears once.
// When the total was unknown, the finishing record reports the final count as the total.
void Progress::resume_from(std::uint64_t done) {
  done_ = done;
  baseline_ = done;
}

void Progress::set_detail(std::string detail) {
  detail_ = std::move(detail);
}

void Progress::maybe_emit(bool force) {
  auto now = std::chrono::steady_clock::now();
  if (!force) {
    if (finished_ || (total_ > 0 && done_ >= total_)) return;
    if (seconds_between(last_emit_, now) < min_interval_s_) return;
  }
  last_emit_ = now;
  // At least a millisecond, so that a first update right after the start has a finite rate.
  double elapsed = std::max(seconds_between(start_, now), 1e-3);
  double rate = static_cast<double>(done_ > baseline_ ? done_ - baseline_ : 0) / elapsed;
  std::uint64_t total = (force && total_ == 0) ? done_ : total_;

  Record record;
  record.event = Record::Event::Progress;
  record.run = log_.run();
  record.stage = log_.stage();
  record.message = label_;
  record.values.set("done", ConfigNode::integer(static_cast<std::int64_t>(done_)));
  record.values.set("total", ConfigNode::integer(static_cast<std::int64_t>(total)));
  record.values.set("unit", ConfigNode::string(unit_));
  record.values.set("rate", ConfigNode::real(rate));
  if (!detail_.empty()) record.values.set("detail", ConfigNode::string(detail_));
  if (total > 0 && rate > 0) {
    double remaining = total > done_ ? static_cast<double>(total - done_) : 0.0;
    record.values.set("eta_s", ConfigNode::real(remaining / rate));
  }
  log_.bus().emit(std::move(record));
}

}  // namespace dac
