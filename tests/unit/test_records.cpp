// Run records: their JSON Lines form, human lines and progress bars, the sinks' throttling and
// terminal output, the bus, RunLog and Progress.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <regex>
#include <sstream>
#include <thread>

#include "dac/error.hpp"
#include "dac/records.hpp"
#include "support/test_support.hpp"

namespace dac {
namespace {

using test::read_file;
using test::TempDir;

constexpr const char* kTime = "2026-11-26T06:30:01.250Z";

Record make_record(Record::Event event, const std::string& stage, const std::string& message) {
  Record record;
  record.event = event;
  record.timestamp = kTime;
  record.elapsed_s = 12.5;
  record.stage = stage;
  record.message = message;
  return record;
}

Record log_record(const std::string& level, const std::string& message) {
  Record record = make_record(Record::Event::Log, "prepare", message);
  record.level = level;
  return record;
}

Record metrics_record(std::int64_t step, ConfigNode values) {
  Record record = make_record(Record::Event::Metrics, "pretrain", "");
  record.step = step;
  record.values = std::move(values);
  return record;
}

// A Progress record as Progress emits it; eta_s < 0 leaves it out.
Record progress_record(std::int64_t done, std::int64_t total, double rate, double eta_s,
                       double elapsed_s = 12.5) {
  Record record = make_record(Record::Event::Progress, "prepare", "tokenize");
  record.elapsed_s = elapsed_s;
  record.values.set("done", ConfigNode::integer(done));
  record.values.set("total", ConfigNode::integer(total));
  record.values.set("unit", ConfigNode::string("docs"));
  record.values.set("rate", ConfigNode::real(rate));
  if (eta_s >= 0) record.values.set("eta_s", ConfigNode::real(eta_s));
  return record;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Everything written to a FILE*, for asserting console bytes.
class MemoryStream {
 public:
  MemoryStream() : file_(open_memstream(&data_, &size_)) {}
  ~MemoryStream() {
    std::fclose(file_);
    std::free(data_);
  }
  std::FILE* file() { return file_; }
  std::string text() {
    std::fflush(file_);
    return std::string(data_, size_);
  }

 private:
  char* data_ = nullptr;
  std::size_t size_ = 0;
  std::FILE* file_;
};

using dac::test::CollectingSink;

// --- record_to_json -------------------------------------------------------------------------

TEST(RecordTest, EventNames) {
  EXPECT_STREQ(Record::event_name(Record::Event::Metrics), "metrics");
  EXPECT_STREQ(Record::event_name(Record::Event::Progress), "progress");
  EXPECT_STREQ(Record::event_name(Record::Event::Log), "log");
  EXPECT_STREQ(Record::event_name(Record::Event::StageStart), "stage_start");
  EXPECT_STREQ(Record::event_name(Record::Event::StageEnd), "stage_end");
}

TEST(RecordJsonTest, MetricsAreFlatWithFieldsInOrder) {
  ConfigNode values;
  values.set("loss", ConfigNode::real(2.31));
  values.set("tokens_per_s", ConfigNode::real(410000));
  values.set("epoch", ConfigNode::integer(3));
  values.set("phase", ConfigNode::string("warm \"up\""));
  Record record = metrics_record(100, values);
  record.run = "base-lr1e-3";
  EXPECT_EQ(record_to_json(record),
            R"({"time":"2026-11-26T06:30:01.250Z","elapsed_s":12.5,"event":"metrics",)"
            R"("run":"base-lr1e-3","stage":"pretrain","step":100,"loss":2.31,)"
            R"("tokens_per_s":410000.0,"epoch":3,"phase":"warm \"up\""})");
}

TEST(RecordJsonTest, OmitsUnsetFieldsAndRoundsElapsedToMilliseconds) {
  Record record;
  record.event = Record::Event::StageEnd;
  record.timestamp = kTime;
  record.elapsed_s = 3.14159;
  EXPECT_EQ(record_to_json(record),
            R"({"time":"2026-11-26T06:30:01.250Z","elapsed_s":3.142,"event":"stage_end"})");
}

TEST(RecordJsonTest, LogCarriesLevelAndEscapedMessageLast) {
  Record record = log_record("warn", "line one\nline two");
  EXPECT_EQ(record_to_json(record),
            R"({"time":"2026-11-26T06:30:01.250Z","elapsed_s":12.5,"event":"log",)"
            R"("stage":"prepare","level":"warn","message":"line one\nline two"})");
}

TEST(RecordJsonTest, ReservedValueKeysArePrefixed) {
  ConfigNode values;
  values.set("step", ConfigNode::integer(7));
  values.set("time", ConfigNode::real(0.25));
  values.set("message", ConfigNode::string("hi"));
  values.set("loss", ConfigNode::real(1.5));
  Record record = metrics_record(-1, values);
  record.stage.clear();
  EXPECT_EQ(record_to_json(record),
            R"({"time":"2026-11-26T06:30:01.250Z","elapsed_s":12.5,"event":"metrics",)"
            R"("value_step":7,"value_time":0.25,"value_message":"hi","loss":1.5})");
}

TEST(RecordJsonTest, NestedValuesAreJson) {
  ConfigNode values;
  ConfigNode accuracy;
  accuracy.set("top1", ConfigNode::real(0.5));
  values.set("accuracy", accuracy);
  ConfigNode sizes = ConfigNode::array();
  sizes.push_back(ConfigNode::integer(1));
  sizes.push_back(ConfigNode::integer(2));
  values.set("sizes", sizes);
  values.set("ok", ConfigNode::boolean(true));
  Record record = metrics_record(5, values);
  EXPECT_EQ(record_to_json(record),
            R"({"time":"2026-11-26T06:30:01.250Z","elapsed_s":12.5,"event":"metrics",)"
            R"("stage":"pretrain","step":5,"accuracy":{"top1":0.5},"sizes":[1,2],"ok":true})");
}

TEST(RecordJsonTest, ProgressRecord) {
  EXPECT_EQ(record_to_json(progress_record(1200, 5000, 310, 12.25)),
            R"({"time":"2026-11-26T06:30:01.250Z","elapsed_s":12.5,"event":"progress",)"
            R"("stage":"prepare","done":1200,"total":5000,"unit":"docs","rate":310.0,)"
            R"("eta_s":12.25,"message":"tokenize"})");
}

// --- format_record_line ---------------------------------------------------------------------

TEST(RecordLineTest, Metrics) {
  ConfigNode values;
  values.set("loss", ConfigNode::real(2.31));
  values.set("tokens_per_s", ConfigNode::real(410000));
  values.set("tokens", ConfigNode::integer(123456789));
  values.set("phase", ConfigNode::string("warmup"));
  EXPECT_EQ(format_record_line(metrics_record(100, values)),
            "06:30:01 [pretrain] step 100  loss=2.31  tokens_per_s=4.1e+05  tokens=123456789  "
            "phase=warmup");
}

TEST(RecordLineTest, MetricsWithoutStepOrStage) {
  ConfigNode values;
  values.set("accuracy", ConfigNode::real(0.912345));
  Record record = metrics_record(-1, values);
  record.stage.clear();
  EXPECT_EQ(format_record_line(record), "06:30:01 accuracy=0.9123");
}

TEST(RecordLineTest, LogLevels) {
  EXPECT_EQ(format_record_line(log_record("info", "reading 3 shards")),
            "06:30:01 [prepare] reading 3 shards");
  EXPECT_EQ(format_record_line(log_record("warn", "disk almost full")),
            "06:30:01 [prepare] warn: disk almost full");
  EXPECT_EQ(format_record_line(log_record("error", "shard 2 is corrupt")),
            "06:30:01 [prepare] error: shard 2 is corrupt");
}

TEST(RecordLineTest, Progress) {
  EXPECT_EQ(format_record_line(progress_record(1200, 5000, 310.4, 12.3)),
            "06:30:01 [prepare] tokenize: 1200/5000 docs (24%, 310 docs/s, ETA 12s)");
  EXPECT_EQ(format_record_line(progress_record(1200, 0, 2.5, -1)),
            "06:30:01 [prepare] tokenize: 1200 docs (2.5 docs/s)");
}

TEST(RecordLineTest, StageStartAndEndShowTheMessage) {
  EXPECT_EQ(format_record_line(make_record(Record::Event::StageStart, "train", "started")),
            "06:30:01 [train] started");
  EXPECT_EQ(format_record_line(make_record(Record::Event::StageEnd, "train", "done in 3m05s")),
            "06:30:01 [train] done in 3m05s");
}

TEST(RecordLineTest, MissingTimestampKeepsTheColumns) {
  Record record = log_record("info", "hello");
  record.timestamp.clear();
  EXPECT_EQ(format_record_line(record), "--:--:-- [prepare] hello");
}

// --- format_progress_bar --------------------------------------------------------------------

TEST(ProgressBarTest, FillsTheWidth) {
  std::string bar = format_progress_bar(progress_record(1750, 5000, 310, 10.4), 79);
  EXPECT_EQ(bar, "[prepare] tokenize [#######.............] 35% 1750/5000 docs 310 docs/s ETA 10s");
  EXPECT_EQ(bar.size(), 79u);
}

TEST(ProgressBarTest, CompleteBarIsFull) {
  EXPECT_EQ(format_progress_bar(progress_record(5000, 5000, 310, 0), 79),
            "[prepare] tokenize [####################] 100% 5000/5000 docs 310 docs/s ETA 0s");
}

TEST(ProgressBarTest, NarrowWidthDropsTheBarThenTruncates) {
  Record record = progress_record(1750, 5000, 310, 10.4);
  EXPECT_EQ(format_progress_bar(record, 60),
            "[prepare] tokenize 35% 1750/5000 docs 310 docs/s ETA 10s");
  EXPECT_EQ(format_progress_bar(record, 20), "[prepare] tokenize 3");
  EXPECT_EQ(format_progress_bar(record, 0), "");
}

TEST(ProgressBarTest, TruncationKeepsUtf8Whole) {
  Record record = progress_record(1, 0, 1, -1);
  record.stage.clear();
  record.message = "d\xc3\xa9j\xc3\xa0";  // "déjà"
  EXPECT_EQ(format_progress_bar(record, 2), "d\xc3\xa9");
}

TEST(ProgressBarTest, UnknownTotalHasNoBar) {
  EXPECT_EQ(format_progress_bar(progress_record(1750, 0, 310, -1), 79),
            "[prepare] tokenize 1750 docs 310 docs/s");
}

// --- format_duration ------------------------------------------------------------------------

TEST(DurationTest, Formats) {
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(12.4), "12s");
  EXPECT_EQ(format_duration(59.4), "59s");
  EXPECT_EQ(format_duration(59.6), "1m00s");
  EXPECT_EQ(format_duration(185), "3m05s");
  EXPECT_EQ(format_duration(3599.6), "1h00m");
  EXPECT_EQ(format_duration(3720), "1h02m");
  EXPECT_EQ(format_duration(100 * 3600 + 59), "100h01m");
}

TEST(DurationTest, UnknownValues) {
  EXPECT_EQ(format_duration(-1), "?");
  EXPECT_EQ(format_duration(std::nan("")), "?");
  EXPECT_EQ(format_duration(std::numeric_limits<double>::infinity()), "?");
}

// --- JsonlSink and TextLogSink ----------------------------------------------------------------

TEST(JsonlSinkTest, AppendsOneObjectPerLineCreatingFolders) {
  TempDir dir;
  auto path = dir / "runs/a/metrics.jsonl";
  {
    JsonlSink sink(path);
    sink.write(log_record("info", "first"));
  }
  JsonlSink sink(path);
  sink.write(progress_record(1, 10, 2, 4.5));
  sink.write(progress_record(2, 10, 2, 4));
  auto lines = lines_of(read_file(path));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], record_to_json(log_record("info", "first")));
  EXPECT_EQ(lines[2], record_to_json(progress_record(2, 10, 2, 4)));
}

TEST(JsonlSinkTest, UnwritablePathIsAUserErrorNamingIt) {
  TempDir dir;
  test::write_file(dir / "file", "not a folder");
  auto path = dir / "file/metrics.jsonl";
  try {
    JsonlSink sink(path);
    FAIL() << "expected a UserError";
  } catch (const UserError& error) {
    EXPECT_EQ(
        std::string(error.what()).rfind("cannot write metrics file '" + path.string() + "': ", 0),
        0u)
        << error.what();
  }
}

TEST(TextLogSinkTest, UnwritablePathIsAUserErrorNamingIt) {
  TempDir dir;
  test::write_file(dir / "file", "not a folder");
  auto path = dir / "file/run.log";
  EXPECT_THROW(
      {
        try {
          TextLogSink sink(path);
        } catch (const UserError& error) {
          EXPECT_NE(std::string(error.what()).find("cannot write log file '" + path.string()),
                    std::string::npos);
          throw;
        }
      },
      UserError);
}

TEST(TextLogSinkTest, ProgressOnlyAtNewDecilesAndCompletion) {
  TempDir dir;
  auto path = dir / "run.log";
  {
    TextLogSink sink(path);
    sink.write(log_record("info", "tokenizing"));
    for (int done = 0; done <= 1000; done += 50) sink.write(progress_record(done, 1000, 100, 1));
    sink.write(progress_record(1000, 1000, 100, 0));  // a repeated completion is not logged again
  }
  auto lines = lines_of(read_file(path));
  ASSERT_EQ(lines.size(), 12u);
  EXPECT_EQ(lines[0], "06:30:01 [prepare] tokenizing");
  EXPECT_EQ(lines[1], "06:30:01 [prepare] tokenize: 0/1000 docs (0%, 100 docs/s, ETA 1s)");
  EXPECT_EQ(lines[2], "06:30:01 [prepare] tokenize: 100/1000 docs (10%, 100 docs/s, ETA 1s)");
  EXPECT_EQ(lines[11], "06:30:01 [prepare] tokenize: 1000/1000 docs (100%, 100 docs/s, ETA 1s)");
}

TEST(TextLogSinkTest, ThrottlesEachStageAndLabelSeparately) {
  TempDir dir;
  auto path = dir / "run.log";
  {
    TextLogSink sink(path);
    Record other = progress_record(1, 100, 1, 1);
    other.message = "shuffle";
    sink.write(progress_record(1, 100, 1, 1));
    sink.write(other);
    sink.write(progress_record(2, 100, 1, 1));
    other.stage = "train";
    sink.write(other);
  }
  auto lines = lines_of(read_file(path));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[1].find("[prepare] shuffle: 1/100"), std::string::npos);
  EXPECT_NE(lines[2].find("[train] shuffle: 1/100"), std::string::npos);
}

TEST(TextLogSinkTest, UnknownTotalsAtMostEveryThirtySeconds) {
  TempDir dir;
  auto path = dir / "run.log";
  {
    TextLogSink sink(path);
    for (double elapsed : {0.0, 10.0, 29.9, 30.0, 45.0, 59.9, 60.0})
      sink.write(progress_record(static_cast<std::int64_t>(elapsed * 10), 0, 10, -1, elapsed));
  }
  auto lines = lines_of(read_file(path));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "06:30:01 [prepare] tokenize: 0 docs (10 docs/s)");
  EXPECT_EQ(lines[1], "06:30:01 [prepare] tokenize: 300 docs (10 docs/s)");
  EXPECT_EQ(lines[2], "06:30:01 [prepare] tokenize: 600 docs (10 docs/s)");
}

TEST(ProgressLineFilterTest, ARestartedCountIsShownAgain) {
  ProgressLineFilter filter;
  EXPECT_TRUE(filter.admit(progress_record(100, 100, 1, 0)));
  EXPECT_FALSE(filter.admit(progress_record(100, 100, 1, 0)));
  EXPECT_TRUE(filter.admit(progress_record(0, 100, 1, 1)));
  EXPECT_TRUE(filter.admit(log_record("info", "not progress")));
  EXPECT_TRUE(filter.admit(log_record("info", "not progress")));
}

// --- ConsoleSink ----------------------------------------------------------------------------

TEST(ConsoleSinkTest, PlainStreamGetsThrottledLines) {
  MemoryStream stream;
  ConsoleSink sink(stream.file(), false);
  sink.write(progress_record(0, 100, 5, 20));
  sink.write(progress_record(5, 100, 5, 19));
  sink.write(log_record("info", "halfway"));
  sink.write(progress_record(100, 100, 5, 0));
  EXPECT_EQ(stream.text(),
            "06:30:01 [prepare] tokenize: 0/100 docs (0%, 5 docs/s, ETA 20s)\n"
            "06:30:01 [prepare] halfway\n"
            "06:30:01 [prepare] tokenize: 100/100 docs (100%, 5 docs/s, ETA 0s)\n");
}

TEST(ConsoleSinkTest, TerminalRedrawsOneBarLine) {
  MemoryStream stream;
  ConsoleSink sink(stream.file(), true);  // not a real terminal: 80 columns
  sink.write(progress_record(1750, 5000, 310, 10.4));
  sink.write(progress_record(1760, 5000, 310, 10.4));
  sink.write(log_record("warn", "slow disk"));
  sink.write(progress_record(5000, 5000, 310, 0));
  sink.write(log_record("info", "next"));
  EXPECT_EQ(stream.text(),
            "\r[prepare] tokenize [#######.............] 35% 1750/5000 docs 310 docs/s ETA 10s"
            "\x1b[K"
            "\r[prepare] tokenize [#######.............] 35% 1760/5000 docs 310 docs/s ETA 10s"
            "\x1b[K"
            "\r\x1b[K06:30:01 [prepare] warn: slow disk\n"
            "\r[prepare] tokenize [####################] 100% 5000/5000 docs 310 docs/s ETA 0s"
            "\x1b[K\n"
            "06:30:01 [prepare] next\n");
}

TEST(ConsoleSinkTest, QuietConsoleHidesInfoAndMetrics) {
  MemoryStream stream;
  ConsoleSink sink(stream.file(), false, /*verbose=*/false);
  sink.write(make_record(Record::Event::StageStart, "train", "started"));
  sink.write(log_record("info", "detail"));
  ConfigNode values;
  values.set("loss", ConfigNode::real(1));
  sink.write(metrics_record(1, values));
  sink.write(log_record("warn", "careful"));
  sink.write(log_record("error", "broken"));
  sink.write(progress_record(100, 100, 5, 0));
  sink.write(make_record(Record::Event::StageEnd, "train", "finished"));
  EXPECT_EQ(stream.text(),
            "06:30:01 [train] started\n"
            "06:30:01 [prepare] warn: careful\n"
            "06:30:01 [prepare] error: broken\n"
            "06:30:01 [prepare] tokenize: 100/100 docs (100%, 5 docs/s, ETA 0s)\n"
            "06:30:01 [train] finished\n");
}

TEST(ConsoleSinkTest, MemoryStreamIsNotATerminal) {
  MemoryStream stream;
  EXPECT_FALSE(ConsoleSink::stream_is_terminal(stream.file()));
  EXPECT_FALSE(ConsoleSink::stream_is_terminal(nullptr));
}

// --- RecordBus and RunLog -------------------------------------------------------------------

TEST(RecordBusTest, StampsAndFansOut) {
  RecordBus bus;
  auto first = std::make_shared<CollectingSink>();
  auto second = std::make_shared<CollectingSink>();
  bus.add_sink(first);
  bus.add_sink(second);
  Record record;
  record.message = "hello";
  bus.emit(record);
  ASSERT_EQ(first->records.size(), 1u);
  ASSERT_EQ(second->records.size(), 1u);
  const Record& stamped = first->records[0];
  EXPECT_TRUE(
      std::regex_match(stamped.timestamp, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
      << stamped.timestamp;
  EXPECT_GE(stamped.elapsed_s, 0);
  EXPECT_LE(stamped.elapsed_s, bus.elapsed_s());
  EXPECT_EQ(stamped.message, "hello");

  bus.remove_sink(first);
  bus.emit(record);
  bus.flush();
  EXPECT_EQ(first->records.size(), 1u);
  EXPECT_EQ(second->records.size(), 2u);
  EXPECT_EQ(first->flushes, 0);
  EXPECT_EQ(second->flushes, 1);
}

TEST(RecordBusTest, KeepsTheTimeOfReplayedRecords) {
  RecordBus bus;
  auto sink = std::make_shared<CollectingSink>();
  bus.add_sink(sink);
  bus.emit(log_record("info", "replayed"));
  ASSERT_EQ(sink->records.size(), 1u);
  EXPECT_EQ(sink->records[0].timestamp, kTime);
  EXPECT_EQ(sink->records[0].elapsed_s, 12.5);
}

TEST(RecordBusTest, ConcurrentEmitsAllArrive) {
  RecordBus bus;
  auto sink = std::make_shared<CollectingSink>();
  bus.add_sink(sink);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&bus, t] {
      RunLog log(bus, "run", "stage" + std::to_string(t));
      for (int i = 0; i < 250; ++i) log.info("message");
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(sink->records.size(), 1000u);
}

TEST(RunLogTest, LogsAndMetricsCarryRunAndStage) {
  RecordBus bus;
  auto sink = std::make_shared<CollectingSink>();
  bus.add_sink(sink);
  RunLog log(bus, "base", "pretrain");
  log.info("a");
  log.warn("b");
  log.error("c");
  ConfigNode values;
  values.set("loss", ConfigNode::real(2.5));
  log.metrics(100, values);
  ASSERT_EQ(sink->records.size(), 4u);
  const char* levels[] = {"info", "warn", "error"};
  const char* messages[] = {"a", "b", "c"};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(sink->records[i].event, Record::Event::Log);
    EXPECT_EQ(sink->records[i].level, levels[i]);
    EXPECT_EQ(sink->records[i].message, messages[i]);
    EXPECT_EQ(sink->records[i].run, "base");
    EXPECT_EQ(sink->records[i].stage, "pretrain");
  }
  const Record& metrics = sink->records[3];
  EXPECT_EQ(metrics.event, Record::Event::Metrics);
  EXPECT_EQ(metrics.step, 100);
  EXPECT_EQ(metrics.values, values);
  EXPECT_EQ(metrics.run, "base");
  EXPECT_TRUE(metrics.level.empty());
}

// --- Progress -------------------------------------------------------------------------------

struct ProgressFixture : ::testing::Test {
  ProgressFixture() { bus.add_sink(sink); }
  const ConfigNode& value(std::size_t index, const char* key) {
    const ConfigNode* node = sink->records.at(index).values.find(key);
    EXPECT_NE(node, nullptr) << key;
    static const ConfigNode missing;
    return node ? *node : missing;
  }
  RecordBus bus;
  std::shared_ptr<CollectingSink> sink = std::make_shared<CollectingSink>();
  RunLog log{bus, "base", "prepare"};
};

TEST_F(ProgressFixture, EmitsEveryUpdateWithoutInterval) {
  {
    Progress progress(log, "tokenize", 10, "docs", 0);
    progress.advance(3);
    progress.set(7);
    EXPECT_EQ(progress.done(), 7u);
  }
  ASSERT_EQ(sink->records.size(), 3u);  // two updates and the destructor's finish
  const Record& first = sink->records[0];
  EXPECT_EQ(first.event, Record::Event::Progress);
  EXPECT_EQ(first.message, "tokenize");
  EXPECT_EQ(first.run, "base");
  EXPECT_EQ(first.stage, "prepare");
  EXPECT_EQ(first.values.keys(),
            (std::vector<std::string>{"done", "total", "unit", "rate", "eta_s"}));
  EXPECT_EQ(value(0, "done").as_int(), 3);
  EXPECT_EQ(value(0, "total").as_int(), 10);
  EXPECT_EQ(value(0, "unit").as_string(), "docs");
  double rate = value(0, "rate").as_float();
  EXPECT_GT(rate, 0);
  EXPECT_NEAR(value(0, "eta_s").as_float(), 7 / rate, 1e-9);
  EXPECT_EQ(value(1, "done").as_int(), 7);
  EXPECT_EQ(value(2, "done").as_int(), 7);
}

TEST_F(ProgressFixture, ThrottlesUpdatesButAlwaysEmitsTheFinish) {
  Progress progress(log, "tokenize", 1000, "docs", 1e9);
  for (int i = 0; i < 999; ++i) progress.advance();
  EXPECT_TRUE(sink->records.empty());
  progress.advance();
  EXPECT_TRUE(sink->records.empty());  // completion is reported by finish()
  progress.finish();
  progress.finish();
  ASSERT_EQ(sink->records.size(), 1u);
  EXPECT_EQ(value(0, "done").as_int(), 1000);
  EXPECT_EQ(value(0, "eta_s").as_float(), 0.0);
}

TEST_F(ProgressFixture, UpdatesAfterFinishAreNotEmitted) {
  Progress progress(log, "tokenize", 10, "docs", 0);
  progress.finish();
  progress.advance();
  EXPECT_EQ(sink->records.size(), 1u);
  EXPECT_EQ(value(0, "done").as_int(), 0);
}

TEST_F(ProgressFixture, UnknownTotalHasNoEtaAndFinishesWithTheCount) {
  {
    Progress progress(log, "scan", 0, "files", 0);
    progress.advance(5);
  }
  ASSERT_EQ(sink->records.size(), 2u);
  EXPECT_EQ(value(0, "total").as_int(), 0);
  EXPECT_EQ(sink->records[0].values.find("eta_s"), nullptr);
  EXPECT_EQ(value(1, "total").as_int(), 5);
  EXPECT_EQ(value(1, "eta_s").as_float(), 0.0);
}

TEST_F(ProgressFixture, NothingDoneHasNoRateOrEta) {
  Progress progress(log, "tokenize", 10, "docs", 0);
  progress.set(0);
  ASSERT_EQ(sink->records.size(), 1u);
  EXPECT_EQ(value(0, "rate").as_float(), 0.0);
  EXPECT_EQ(sink->records[0].values.find("eta_s"), nullptr);
}

}  // namespace
}  // namespace dac
