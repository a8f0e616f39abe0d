// Run records: every metric, progress update and log line of a run is one Record. Records are
// written as JSON Lines (metrics.jsonl) and rendered for humans (the log file, the console's
// progress bar or plain lines) from the same data.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dac/config.hpp"

namespace dac {

struct Record {
  enum class Event { Metrics, Progress, Log, StageStart, StageEnd };
  Event event = Event::Metrics;
  std::string timestamp;   // ISO-8601 UTC, e.g. "2026-11-26T06:30:01.250Z"; filled by RecordBus
  double elapsed_s = 0;    // seconds since the bus started; filled by RecordBus
  std::string run;         // run folder name ("" outside a run)
  std::string stage;       // stage name ("" for run-level records)
  std::int64_t step = -1;  // training step or item index; -1 when not applicable
  ConfigNode values;    // Metrics: named numbers/strings. Progress: done, total, unit, rate, eta_s,
                        // detail
  std::string level;    // Log: "info", "warn", "error"
  std::string message;  // Log: the text; Progress: the label; StageStart/End: a description

  static const char* event_name(Event event);  // "metrics", "progress", "log", "stage_start", ...
};

// One JSON object per line: {"time":..., "elapsed_s":..., "event":..., "run":..., "stage":...,
// "step":..., then the values' keys flattened into the object, "level"/"message" when set}.
std::string record_to_json(const Record& record);

// The human line for a record, e.g.
// "06:30:01 [pretrain] step 100  loss=2.310  tokens_per_s=4.1e+05" or
// "06:30:01 [prepare] tokenize: 1200/5000 docs (24%, 310 docs/s, ETA 12s)".
std::string format_record_line(const Record& record);
// A one-line progress bar of `width` columns for a Progress record, e.g.
// "[prepare] tokenize [#######.............] 35% 1750/5000 docs 310 docs/s ETA 10s".
std::string format_progress_bar(const Record& record, int width);
// The current UTC time as ISO-8601 with milliseconds, e.g. "2026-11-26T06:30:01.250Z".
std::string utc_now_iso8601();

// "1h02m", "3m05s", "12s".
std::string format_duration(double seconds);
// A number for messages, with six significant digits: "0.25", "24", "1e+18", "7.82363".
std::string format_number(double value);

// Chooses which Progress records line-based outputs (the log file, a plain console) show: the
// first of each stage+label, each new 10% step, completion (done == total), and for unknown
// totals at most one every 30 s of elapsed time.
class ProgressLineFilter {
 public:
  bool admit(const Record& record);

 private:
  struct Shown {
    int decile = -1;       // last shown 10% step; -1 for unknown totals
    double elapsed_s = 0;  // when it was shown
  };
  std::map<std::string, Shown> shown_;  // per stage+label
};

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void write(const Record& record) = 0;
  virtual void flush() {}
};

// Appends record_to_json lines to a file (created with parent folders); flushes every record.
class JsonlSink : public RecordSink {
 public:
  explicit JsonlSink(const std::filesystem::path& path);
  void write(const Record& record) override;
  void flush() override;

 private:
  std::ofstream out_;
};

// Appends format_record_line lines to a human-readable log file. Progress records are written
// only when they cross a 10% step or at completion, so the log stays short.
class TextLogSink : public RecordSink {
 public:
  explicit TextLogSink(const std::filesystem::path& path);
  void write(const Record& record) override;
  void flush() override;

 private:
  std::ofstream out_;
  ProgressLineFilter progress_filter_;
};

// The console. On a terminal: progress records redraw one bar line in place (\r), other records
// print as lines above it. Otherwise: plain lines, progress throttled like TextLogSink.
class ConsoleSink : public RecordSink {
 public:
  ConsoleSink(std::FILE* stream, bool is_terminal, bool verbose = true);
  // Whether `stream` is a terminal (isatty) and TERM is not "dumb".
  static bool stream_is_terminal(std::FILE* stream);
  void write(const Record& record) override;
  void flush() override;

 private:
  std::FILE* stream_;
  bool terminal_;
  bool verbose_;
  bool bar_shown_ = false;
  ProgressLineFilter progress_filter_;
};

// Fans records out to sinks, stamping time and elapsed. Thread-safe.
class RecordBus {
 public:
  RecordBus();
  void add_sink(std::shared_ptr<RecordSink> sink);
  void remove_sink(const std::shared_ptr<RecordSink>& sink);
  void emit(Record record);
  void flush();
  double elapsed_s() const;

 private:
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_;
  std::vector<std::shared_ptr<RecordSink>> sinks_;
};

// Log and metric helpers bound to a bus and a run/stage name.
class RunLog {
 public:
  RunLog(RecordBus& bus, std::string run, std::string stage);
  void info(const std::string& message);
  void warn(const std::string& message);
  void error(const std::string& message);
  // Records named values (a table of numbers or strings) at a step.
  void metrics(std::int64_t step, ConfigNode values);
  RecordBus& bus() { return bus_; }
  const std::string& run() const { return run_; }
  const std::string& stage() const { return stage_; }

 private:
  void log(const char* level, const std::string& message);
  RecordBus& bus_;
  std::string run_;
  std::string stage_;
};

// Counts work done toward a total and emits Progress records with rate and ETA, at most every
// `min_interval_s` seconds plus once at finish(). total = 0 means unknown (no ETA).
class Progress {
 public:
  Progress(RunLog& log, std::string label, std::uint64_t total, std::string unit,
           double min_interval_s = 0.5);
  ~Progress();  // calls finish() if not yet finished
  void advance(std::uint64_t amount = 1);
  void set(std::uint64_t done);
  // Work already done before this process started (a resumed run): counted in done, not in the
  // rate and ETA.
  void resume_from(std::uint64_t done);
  // A short text shown after the rate, e.g. "loss 3.21, 41k tok/s" (empty: none).
  void set_detail(std::string detail);
  void finish();
  std::uint64_t done() const { return done_; }

 private:
  void maybe_emit(bool force);
  RunLog& log_;
  std::string label_;
  std::uint64_t total_;
  std::string unit_;
  double min_interval_s_;
  std::uint64_t done_ = 0;
  std::uint64_t baseline_ = 0;
  std::string detail_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_emit_;
};

}  // namespace dac
