// Profiling pretraining steps: the summary of a Chrome trace (CPU operators by self time, device
// kernels by duration, per profiled step), its table, and `bench pretrain --profile` end to end.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "dac/cpu_runtime.hpp"
#include "dac/error.hpp"
#include "dac/json_reader.hpp"
#include "dac/train/compute.hpp"
#include "dac/train/throughput.hpp"
#include "dac/train/trace_profile.hpp"
#include "support/test_support.hpp"
#include "train_tiny_encoder.hpp"

namespace dac::train {
namespace {

using test::contains;

// A CPU trace in Kineto's layout over two steps. Thread 1: two aten::linear calls, each with an
// aten::t and an aten::addmm nested in it (the second aten::t ends exactly where its parent
// does); thread 2: an aten::mm overlapping them in time. Metadata, flow, runtime and annotation
// events are not operators.
constexpr const char* kCpuTrace = R"json({
  "schemaVersion": 1, "deviceProperties": [], "displayTimeUnit": "ms",
  "traceEvents": [
    {"name": "process_name", "ph": "M", "ts": 0.000, "pid": 1, "tid": 0, "args": {"name": "python"}},
    {"ph": "X", "cat": "user_annotation", "name": "ProfilerStep#1", "pid": 1, "tid": 1,
     "ts": 0.000, "dur": 100.000},
    {"ph": "X", "cat": "cpu_op", "name": "aten::linear", "pid": 1, "tid": 1, "ts": 0.000, "dur": 10.000,
     "args": {"External id": 1}},
    {"ph": "X", "cat": "cpu_op", "name": "aten::t", "pid": 1, "tid": 1, "ts": 1.000, "dur": 1.000},
    {"ph": "X", "cat": "cpu_op", "name": "aten::addmm", "pid": 1, "tid": 1, "ts": 2.000, "dur": 7.000},
    {"ph": "X", "cat": "cpu_op", "name": "aten::linear", "pid": 1, "tid": 1, "ts": 20.000, "dur": 10.000},
    {"ph": "X", "cat": "cpu_op", "name": "aten::addmm", "pid": 1, "tid": 1, "ts": 21.000, "dur": 8.000},
    {"ph": "X", "cat": "cpu_op", "name": "aten::t", "pid": 1, "tid": 1, "ts": 29.000, "dur": 1.000},
    {"ph": "X", "cat": "cpu_op", "name": "aten::mm", "pid": 1, "tid": 2, "ts": 5.000, "dur": 4.000},
    {"ph": "X", "cat": "cuda_runtime", "name": "cudaLaunchKernel", "pid": 1, "tid": 1,
     "ts": 3.000, "dur": 1.000},
    {"ph": "s", "id": 1, "pid": 1, "tid": 1, "ts": 3.000, "cat": "ac2g", "name": "ac2g"},
    {"name": "Record Window End", "ph": "i", "s": "g", "pid": "", "tid": "", "ts": 120.000}
  ],
  "traceName": "trace.json"
})json";

// A CUDA trace over one step: two kernels (one twice), a memcpy and a memset on stream 7; the CPU
// operator and the runtime call are left out once device work is present.
constexpr const char* kDeviceTrace = R"json({
  "traceEvents": [
    {"ph": "X", "cat": "cpu_op", "name": "aten::mm", "pid": 9, "tid": 9, "ts": 0.5, "dur": 100},
    {"ph": "X", "cat": "cuda_runtime", "name": "cudaLaunchKernel", "pid": 9, "tid": 9, "ts": 1, "dur": 50},
    {"ph": "X", "cat": "kernel", "name": "sm90_gemm_bf16", "pid": 0, "tid": 7, "ts": 10.25, "dur": 30},
    {"ph": "X", "cat": "kernel", "name": "sm90_gemm_bf16", "pid": 0, "tid": 7, "ts": 40.25, "dur": 30},
    {"ph": "X", "cat": "kernel", "name": "vectorized_elementwise_kernel", "pid": 0, "tid": 7,
     "ts": 71, "dur": 5},
    {"ph": "X", "cat": "gpu_memcpy", "name": "Memcpy HtoD (Pageable -> Device)", "pid": 0, "tid": 7,
     "ts": 80, "dur": 2},
    {"ph": "X", "cat": "gpu_memset", "name": "Memset (Device)", "pid": 0, "tid": 7, "ts": 83, "dur": 1},
    {"ph": "X", "cat": "Trace", "name": "PyTorch Profiler (0)", "pid": "Spans", "tid": "PyTorch Profiler",
     "ts": 0, "dur": 90}
  ]
})json";

const TraceEntry* entry_named(const TraceSummary& summary, const std::string& name) {
  for (const TraceEntry& entry : summary.entries)
    if (entry.name == name) return &entry;
  return nullptr;
}

TEST(TraceSummary, CountsCpuOperatorsBySelfTimePerStep) {
  test::TempDir dir;
  test::write_file(dir / "cpu.json", kCpuTrace);
  const TraceSummary summary = summarize_trace(dir / "cpu.json", 2);
  EXPECT_FALSE(summary.device);
  EXPECT_PRED2(contains, summary.measured, "self time");
  EXPECT_EQ(summary.steps, 2);
  EXPECT_EQ(summary.events, 7);
  // Self times: linear 2 + 1, t 1 + 1, addmm 7 + 8, mm 4 (another thread): 24 us over 2 steps.
  EXPECT_NEAR(summary.total_us_per_step, 12.0, 1e-9);
  ASSERT_EQ(summary.entries.size(), 4u);
  const std::vector<std::string> order = {"aten::addmm", "aten::mm", "aten::linear", "aten::t"};
  for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(summary.entries[i].name, order[i]);
  const TraceEntry& addmm = summary.entries[0];
  EXPECT_NEAR(addmm.us_per_step, 7.5, 1e-9);
  EXPECT_DOUBLE_EQ(addmm.calls_per_step, 1.0);
  EXPECT_NEAR(addmm.share, 15.0 / 24.0, 1e-9);
  EXPECT_NEAR(entry_named(summary, "aten::mm")->us_per_step, 2.0, 1e-9);
  EXPECT_DOUBLE_EQ(entry_named(summary, "aten::mm")->calls_per_step, 0.5);
  EXPECT_NEAR(entry_named(summary, "aten::linear")->us_per_step, 1.5, 1e-9);
  EXPECT_NEAR(entry_named(summary, "aten::t")->us_per_step, 1.0, 1e-9);
  double shares = 0;
  for (const TraceEntry& entry : summary.entries) shares += entry.share;
  EXPECT_NEAR(shares, 1.0, 1e-9);
}

TEST(TraceSummary, CountsDeviceWorkWhenTheTraceHasKernels) {
  test::TempDir dir;
  test::write_file(dir / "cuda.json", kDeviceTrace);
  const TraceSummary summary = summarize_trace(dir / "cuda.json", 1);
  EXPECT_TRUE(summary.device);
  EXPECT_PRED2(contains, summary.measured, "device kernels");
  EXPECT_EQ(summary.events, 5);
  EXPECT_NEAR(summary.total_us_per_step, 68.0, 1e-9);
  ASSERT_EQ(summary.entries.size(), 4u);
  EXPECT_EQ(summary.entries[0].name, "sm90_gemm_bf16");
  EXPECT_NEAR(summary.entries[0].us_per_step, 60.0, 1e-9);
  EXPECT_DOUBLE_EQ(summary.entries[0].calls_per_step, 2.0);
  EXPECT_NE(entry_named(summary, "Memcpy HtoD (Pageable -> Device)"), nullptr);
  EXPECT_NE(entry_named(summary, "Memset (Device)"), nullptr);
  EXPECT_EQ(entry_named(summary, "aten::mm"), nullptr);
  EXPECT_EQ(entry_named(summary, "cudaLaunchKernel"), nullptr);
}

TEST(TraceSummary, TableShowsTheTopEntriesWithShortenedNames) {
  TraceSummary summary;
  summary.measured = "CPU operators (cpu_op), self time";
  summary.steps = 3;
  summary.events = 9;
  summary.total_us_per_step = 30;
  const std::string long_name(100, 'k');
  summary.entries = {{long_name, 2, 20, 2.0 / 3}, {"aten::mm", 1, 9, 0.3}, {"aten::t", 1, 1, 0.1}};
  const std::string table = format_trace_summary(summary, 2);
  EXPECT_PRED2(contains, table, "profile over 3 steps: CPU operators (cpu_op), self time");
  EXPECT_PRED2(contains, table, "top 2 of 3 names");
  EXPECT_PRED2(contains, table, "us/step");
  EXPECT_PRED2(contains, table, "calls/step");
  EXPECT_PRED2(contains, table, std::string(67, 'k') + "...\n");
  EXPECT_FALSE(contains(table, std::string(68, 'k')));
  EXPECT_PRED2(contains, table, "20.0   66.7%");
  EXPECT_PRED2(contains, table, "aten::mm");
  EXPECT_FALSE(contains(table, "aten::t"));
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 4);
}

TEST(TraceSummary, BadTracesAreUserErrorsNamingTheFile) {
  test::TempDir dir;
  test::write_file(dir / "broken.json", R"({"traceEvents": [)");
  test::write_file(dir / "other.json", R"({"events": []})");
  const std::string broken =
      test::error_of<UserError>([&] { summarize_trace(dir / "broken.json", 1); });
  EXPECT_PRED2(contains, broken, "broken.json");
  EXPECT_PRED2(contains, broken, "not valid JSON");
  EXPECT_PRED2(contains, test::error_of<UserError>([&] { summarize_trace(dir / "other.json", 1); }),
               "no \"traceEvents\" array");
  EXPECT_PRED2(contains,
               test::error_of<UserError>([&] { summarize_trace(dir / "missing.json", 1); }),
               "missing.json");
  EXPECT_PRED2(contains, test::error_of<UserError>([&] { summarize_trace(dir / "other.json", 0); }),
               "at least one profiled step");
}

// Profiles three steps of a tiny encoder on the CPU; skips where this libtorch lacks Kineto.
TEST(TraceProfile, ProfilesTrainingStepsOnTheCpu) {
  const int threads_before = cpu_threads();
  ComputeRequest compute_request;
  compute_request.device = "cpu";
  compute_request.threads = 1;
  compute_request.peak_tflops = 0.25;
  const Compute compute = resolve_compute(compute_request);
  torch::manual_seed(0);
  test::TinyEncoder encoder(11, 4);
  test::TempDir dir;
  ThroughputRequest request;
  request.batch = 4;
  request.seq_len = 8;
  request.steps = 1;
  request.warmup = 1;
  request.profile_path = (dir / "trace.json").string();
  request.profile_steps = 3;
  std::string kineto_missing;
  try {
    const Throughput result = measure_pretraining(encoder, compute, request);
    EXPECT_GT(result.tokens_per_s, 0);
  } catch (const UserError& error) {
    if (!contains(error.what(), "Kineto")) throw;
    kineto_missing = error.what();
  }
  set_cpu_threads(threads_before);
  if (!kineto_missing.empty()) GTEST_SKIP() << kineto_missing;

  // The file is a Chrome trace.
  const JsonValue trace = parse_json(test::read_file(dir / "trace.json"));
  ASSERT_TRUE(trace.is_object());
  ASSERT_NE(trace.find("traceEvents"), nullptr);
  EXPECT_FALSE(trace.find("traceEvents")->items().empty());

  const TraceSummary summary = summarize_trace(dir / "trace.json", request.profile_steps);
  EXPECT_FALSE(summary.device);
  EXPECT_GT(summary.total_us_per_step, 0);
  // The encoder's one Linear runs once per step, through a matrix multiply.
  const TraceEntry* linear = entry_named(summary, "aten::linear");
  ASSERT_NE(linear, nullptr) << format_trace_summary(summary, 100);
  EXPECT_DOUBLE_EQ(linear->calls_per_step, 1.0);
  const auto multiply = std::find_if(
      summary.entries.begin(), summary.entries.end(),
      [](const TraceEntry& entry) { return contains(entry.name, "mm") && entry.us_per_step > 0; });
  EXPECT_NE(multiply, summary.entries.end()) << format_trace_summary(summary, 100);
}

std::vector<std::string> tiny_bench(const std::vector<std::string>& extra) {
  return test::tiny_bench_pretrain_args("crammed_bert", extra);
}

TEST(TraceProfile, BenchRejectsBadProfileOptions) {
  test::TempDir dir;
  const auto zero = test::run_dacrun(
      tiny_bench({"--profile", (dir / "t.json").string(), "--profile-steps", "0"}));
  EXPECT_EQ(zero.exit_code, 2) << zero.out << zero.err;
  EXPECT_PRED2(contains, zero.err, "--profile-steps must be at least 1");

  const std::string unwritable = (dir / "no-such-folder" / "t.json").string();
  const auto folder = test::run_dacrun(tiny_bench({"--profile", unwritable}));
  EXPECT_EQ(folder.exit_code, 2) << folder.out << folder.err;
  EXPECT_PRED2(contains, folder.err, unwritable);
  EXPECT_FALSE(contains(folder.out, "bench pretrain"));  // it failed before measuring

  const auto alone = test::run_dacrun(tiny_bench({"--profile-steps", "2"}));
  EXPECT_EQ(alone.exit_code, 2) << alone.out << alone.err;
  EXPECT_PRED2(contains, alone.err, "--profile-steps needs --profile");
}

// The whole command: the usual line, then the table; skips where this libtorch lacks Kineto.
TEST(TraceProfile, BenchPrintsTheTableAfterItsResult) {
  test::TempDir dir;
  const std::string path = (dir / "t.json").string();
  const auto result = test::run_dacrun(tiny_bench({"--profile", path, "--profile-steps", "2"}));
  if (result.exit_code == 2 && contains(result.err, "Kineto")) {
    EXPECT_FALSE(std::filesystem::exists(path));
    GTEST_SKIP() << result.err;
  }
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const std::size_t line = result.out.find("bench pretrain crammed_bert layers=1");
  const std::size_t table = result.out.find("profile over 2 steps: CPU operators");
  ASSERT_NE(line, std::string::npos) << result.out;
  ASSERT_NE(table, std::string::npos) << result.out;
  EXPECT_LT(line, table);
  EXPECT_PRED2(contains, result.out, "trace: " + path);
  EXPECT_PRED2(contains, result.out, "aten::");
  EXPECT_TRUE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace dac::train
