// Helpers shared by the tests: temporary folders, files, running the dacrun binary, real data.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dac/records.hpp"

namespace dac::test {

// A fresh temporary folder, removed with its contents when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Writes `text` to `path`, creating parent folders.
void write_file(const std::filesystem::path& path, const std::string& text);
std::string read_file(const std::filesystem::path& path);

// A corpus of `documents` short documents over ten words (1–3 sentences of 4–7 words and "."),
// blank-line separated; `extra` words open the given documents.
std::string ten_word_corpus(int documents, const std::map<int, std::string>& extra = {});

// The start of an experiment file for DACBERT tests: [experiment] `name` and `seed`, the test
// annotator plugin from `plugin_dir`, and a stage "data" that prepares the text files of folder
// "corpus" (200-token vocabulary, rows of 16) with `previous_word` chunks: the test parser makes
// each word's head the word before it, and the extractor turns every word and its head into a
// chunk.
std::string annotated_data_experiment(const std::string& name, int seed,
                                      const std::string& plugin_dir);

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs a shell command line (through /bin/sh), capturing stdout and stderr separately.
CommandResult run_command(const std::string& command_line);
// Runs the built dacrun binary with arguments (each shell-quoted), from `working_dir` if given.
CommandResult run_dacrun(const std::vector<std::string>& args,
                         const std::filesystem::path& working_dir = {});
std::string shell_quote(const std::string& text);
// `dacrun bench pretrain` arguments for a one-layer, 32-wide `model` on the CPU (one thread, one
// timed step of batch 2 × 16, a given peak so none is measured), followed by `extra`.
std::vector<std::string> tiny_bench_pretrain_args(const std::string& model,
                                                  const std::vector<std::string>& extra = {});

// Whether `text` contains `part` (EXPECT_PRED2(contains, text, part) prints both when not).
inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The message of the exception of type Error that `statement` throws; a test failure (and "")
// when it throws none.
template <typename Error, typename Statement>
std::string error_of(Statement statement) {
  try {
    statement();
  } catch (const Error& error) {
    return error.what();
  }
  ADD_FAILURE() << "no exception of the expected type was thrown";
  return "";
}

// The real-data folder (DAC_TEST_DATA, default ../shared/data beside the source tree), or nullopt
// when absent; tests that need it call GTEST_SKIP() with a message saying so.
std::optional<std::filesystem::path> test_data_dir();

// A record sink that keeps every record (and counts flushes), for tests of what code records.
class CollectingSink : public RecordSink {
 public:
  void write(const Record& record) override { records.push_back(record); }
  void flush() override { ++flushes; }
  std::vector<Record> records;
  int flushes = 0;
};

}  // namespace dac::test
