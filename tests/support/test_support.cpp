// Helpers shared by the tests.
#include "support/test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace dac::test {
namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device random;
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path candidate = fs::temp_directory_path() / ("dac-test-" + std::to_string(::getpid()) +
                                                      "-" + std::to_string(random()));
    if (fs::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("could not create a temporary folder");
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

void write_file(const fs::path& path, const std::string& text) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("could not write " + path.string());
}

std::string annotated_data_experiment(const std::string& name, int seed,
                                      const std::string& plugin_dir) {
  return "[experiment]\nname = \"" + name + "\"\nseed = " + std::to_string(seed) +
         "\n\n[plugins]\npaths = [\"" + plugin_dir + R"(/annotator"]

[[stages]]
name = "data"
kind = "prepare"
corpus = { name = "text_files", paths = ["corpus"] }
min_frequency = 1
filter_ratio = 0.0
vocab_size = 200
seq_len = 16
validation_fraction = 0.1
annotator = { name = "agreements", parser = { name = "whitespace" }, extractors = ["previous_word"] }
)";
}

std::string ten_word_corpus(int documents, const std::map<int, std::string>& extra) {
  const char* words[] = {"the", "cat", "sat", "on", "a", "mat", "dogs", "run", "fast", "today"};
  std::string text;
  for (int document = 0; document < documents; ++document) {
    if (const auto it = extra.find(document); it != extra.end()) text += it->second + " ";
    for (int sentence = 0; sentence <= document % 3; ++sentence) {
      for (int word = 0; word < 4 + document % 4; ++word)
        text += std::string(words[(document + word * 3 + sentence) % 10]) + " ";
      text += ". ";
    }
    text += "\n\n";
  }
  return text;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("could not read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'')
      quoted += "'\\''";
    else
      quoted += c;
  }
  return quoted + "'";
}

CommandResult run_command(const std::string& command_line) {
  TempDir capture;
  const fs::path out_path = capture / "stdout";
  const fs::path err_path = capture / "stderr";
  const std::string full = "(" + command_line + ") >" + shell_quote(out_path.string()) + " 2>" +
                           shell_quote(err_path.string()) + " </dev/null";
  const int status = std::system(full.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  return result;
}

CommandResult run_dacrun(const std::vector<std::string>& args, const fs::path& working_dir) {
  std::string line;
  if (!working_dir.empty()) line += "cd " + shell_quote(working_dir.string()) + " && ";
  line += shell_quote(std::string(DAC_BIN_DIR) + "/dacrun");
  for (const auto& arg : args) line += " " + shell_quote(arg);
  return run_command(line);
}

std::vector<std::string> tiny_bench_pretrain_args(const std::string& model,
                                                  const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"bench",         "pretrain",
                                   "--model",       model,
                                   "--set",         "layers=1",
                                   "--set",         "hidden=32",
                                   "--set",         "heads=2",
                                   "--set",         "intermediate=64",
                                   "--set",         "vocab_size=100",
                                   "--batch",       "2",
                                   "--seq",         "16",
                                   "--steps",       "1",
                                   "--warmup",      "0",
                                   "--device",      "cpu",
                                   "--threads",     "1",
                                   "--peak-tflops", "1"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::optional<fs::path> test_data_dir() {
  const char* configured = std::getenv("DAC_TEST_DATA");
  fs::path folder = configured && *configured ? fs::path(configured)
                                              : fs::path(DAC_SOURCE_DIR) / ".." / "shared" / "data";
  if (fs::is_directory(folder)) return fs::canonical(folder);
  return std::nullopt;
}

}  // namespace dac::test
