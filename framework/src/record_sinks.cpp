// Where run records go: metrics.jsonl, the human log file and the console (an in-place progress
// bar on terminals, plain lines elsewhere).
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <system_error>

#include "dac/error.hpp"
#include "dac/records.hpp"

namespace dac {
namespace fs = std::filesystem;

namespace {

constexpr double kUnknownTotalLogInterval = 30;  // seconds between lines for unknown totals

struct ProgressCounts {
  double done = 0;
  double total = 0;  // 0: unknown
  bool complete() const { return total > 0 && done >= total; }
};

ProgressCounts progress_counts(const Record& record) {
  auto number = [&](std::string_view key) {
    const ConfigNode* node = record.values.find(key);
    return node && node->is_number() ? node->as_float() : 0.0;
  };
  return {number("done"), number("total")};
}

// Opens `path` for appending, creating its folders; `what` names the file in errors.
std::ofstream open_for_append(const fs::path& path, const std::string& what) {
  auto fail = [&](const std::string& reason) {
    return UserError("cannot write " + what + " '" + path.string() + "': " + reason);
  };
  std::error_code error;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), error);
  if (error) throw fail(error.message());
  std::ofstream out(path, std::ios::app | std::ios::binary);
  if (!out) throw fail(std::strerror(errno));
  return out;
}

// Columns of the terminal behind `stream`; 80 when it cannot be asked.
int terminal_columns(std::FILE* stream) {
  winsize size{};
  if (::ioctl(::fileno(stream), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

// Info logs and metrics: the lines a non-verbose console leaves out.
bool is_detail(const Record& record) {
  if (record.event == Record::Event::Metrics) return true;
  return record.event == Record::Event::Log && record.level != "warn" && record.level != "error";
}

}  // namespace

bool ProgressLineFilter::admit(const Record& record) {
  if (record.event != Record::Event::Progress) return true;
  ProgressCounts counts = progress_counts(record);
  int decile =
      counts.total > 0 ? static_cast<int>(std::min(10.0, counts.done * 10 / counts.total)) : -1;
  std::string key = record.stage + '\n' + record.message;
  auto previous = shown_.find(key);
  bool show =
      previous == shown_.end() || previous->second.decile != decile ||
      (decile < 0 && record.elapsed_s - previous->second.elapsed_s >= kUnknownTotalLogInterval);
  if (show) shown_[key] = {decile, record.elapsed_s};
  return show;
}

// --- JsonlSink ------------------------------------------------------------------------------

JsonlSink::JsonlSink(const fs::path& path) : out_(open_for_append(path, "metrics file")) {}

void JsonlSink::write(const Record& record) {
  out_ << record_to_json(record) << '\n';
  out_.flush();
}

void JsonlSink::flush() {
  out_.flush();
}

// --- TextLogSink ----------------------------------------------------------------------------

TextLogSink::TextLogSink(const fs::path& path) : out_(open_for_append(path, "log file")) {}

void TextLogSink::write(const Record& record) {
  if (!progress_filter_.admit(record)) return;
  out_ << format_record_line(record) << '\n';
  out_.flush();
}

void TextLogSink::flush() {
  out_.flush();
}

// --- ConsoleSink ----------------------------------------------------------------------------

ConsoleSink::ConsoleSink(std::FILE* stream, bool is_terminal, bool verbose)
    : stream_(stream), terminal_(is_terminal), verbose_(verbose) {}

bool ConsoleSink::stream_is_terminal(std::FILE* stream) {
  if (stream == nullptr || !::isatty(::fileno(stream))) return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::string_view(term) != "dumb";
}

// On a terminal a progress record redraws the bar line in place ("\r", text, clear to the end of
// the line) and a finished bar is ended with a newline; any other line first erases the bar.
void ConsoleSink::write(const Record& record) {
  if (!verbose_ && is_detail(record)) return;
  if (terminal_ && record.event == Record::Event::Progress) {
    std::string bar = format_progress_bar(record, terminal_columns(stream_) - 1);
    std::fprintf(stream_, "\r%s\x1b[K", bar.c_str());
    bar_shown_ = !progress_counts(record).complete();
    if (!bar_shown_) std::fputc('\n', stream_);
  } else {
    if (!progress_filter_.admit(record)) return;
    if (bar_shown_) std::fputs("\r\x1b[K", stream_);
    bar_shown_ = false;
    std::fprintf(stream_, "%s\n", format_record_line(record).c_str());
  }
  std::fflush(stream_);
}

void ConsoleSink::flush() {
  std::fflush(stream_);
}

}  // namespace dac
