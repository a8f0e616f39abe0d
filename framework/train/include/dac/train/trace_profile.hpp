// Summarises a profiler trace (the Chrome trace JSON that the Kineto profiler saves) into what
// took the time of a profiled step: device work (kernels, memory copies and sets) when the trace
// holds any, otherwise CPU operators by self time. Reads only the file, so it needs no torch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace dac::train {

struct TraceEntry {
  std::string name;  // kernel or operator name, as in the trace
  double calls_per_step = 0;
  double us_per_step = 0;  // microseconds per profiled step
  double share = 0;        // of the summary's total, 0..1
};

struct TraceSummary {
  bool device = false;      // entries are device work; CPU operators when false
  std::string measured;     // what the entries and their times are, for a table's heading
  std::int64_t steps = 1;   // profiled steps the times are divided by
  std::int64_t events = 0;  // trace events summarised
  double total_us_per_step = 0;
  std::vector<TraceEntry> entries;  // one per name, most time first
};

// Reads the trace at `path`, recorded over `steps` steps (at least 1). Device work counts each
// event's duration; a CPU operator counts its self time (its duration less that of the operators
// nested in it on the same thread). UserError when the file cannot be read or is not a trace.
TraceSummary summarize_trace(const std::filesystem::path& path, std::int64_t steps);

// A table of the `top` entries that took the most time: microseconds per step, share of the
// total, calls per step and name (cut to 70 characters), under a heading saying what is measured.
std::string format_trace_summary(const TraceSummary& summary, std::size_t top = 15);

}  // namespace dac::train
