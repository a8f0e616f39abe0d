// Figures for WordPiece training on the shared prose (Gutenberg and Wikipedia): counting time on
// 1 and 2 threads, training time for a 32768-token vocabulary, distinct words and peak RSS.
// Run: build/bin/dac_bench_wordpiece_trainer [--benchmark_filter=/2] (DAC_TEST_DATA = data folder)
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "dac/text/wordpiece_trainer.hpp"

namespace {

namespace fs = std::filesystem;

fs::path data_dir() {
  const char* env = std::getenv("DAC_TEST_DATA");
  return env ? fs::path(env) : fs::path(DAC_SOURCE_DIR) / ".." / "shared" / "data";
}

// Every text file of the prose folders, in a fixed order.
std::vector<fs::path> prose_files(const fs::path& root) {
  std::vector<fs::path> files;
  for (const char* folder : {"gutenberg_books", "wikipedia_en_wikiextractor"}) {
    if (!fs::is_directory(root / folder)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      const std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && ext != ".md" && ext != ".tsv") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Simple pre-tokenisation: lowercase ASCII, then runs of word bytes (ASCII letters, digits, '_'
// and every non-ASCII byte) and runs of other non-space bytes.
enum class ByteClass { kSpace, kWord, kOther };
ByteClass classify(unsigned char c) {
  if (c >= 0x80 || std::isalnum(c) || c == '_') return ByteClass::kWord;
  return std::isspace(c) ? ByteClass::kSpace : ByteClass::kOther;
}

void count_text(std::string& text, dac::text::WordCounter& counter) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::size_t begin = 0; begin < text.size();) {
    const ByteClass kind = classify(static_cast<unsigned char>(text[begin]));
    std::size_t end = begin + 1;
    while (end < text.size() && classify(static_cast<unsigned char>(text[end])) == kind) ++end;
    if (kind != ByteClass::kSpace) counter.add(std::string_view(text).substr(begin, end - begin));
    begin = end;
  }
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// Counts the words of every prose file on state.range(0) threads, then trains once.
void BM_CountAndTrainWordPiece(benchmark::State& state) {
  const std::vector<fs::path> files = prose_files(data_dir());
  const auto threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    const dac::text::WordCounter words =
        dac::text::count_words(files.size(), threads, [&](std::size_t i, auto& counter) {
          std::string text = read_all(files[i]);
          count_text(text, counter);
        });
    state.counters["count_s"] = seconds_since(start);
    start = std::chrono::steady_clock::now();
    const std::vector<std::string> vocab = dac::text::train_wordpiece(words);
    state.counters["train_s"] = seconds_since(start);
    state.counters["words"] = static_cast<double>(words.total());
    state.counters["distinct"] = static_cast<double>(words.distinct());
    state.counters["vocab"] = static_cast<double>(vocab.size());
  }
  state.counters["peak_rss_MiB"] = peak_rss_mib();
}
BENCHMARK(BM_CountAndTrainWordPiece)
    ->Arg(1)
    ->Arg(2)
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  if (prose_files(data_dir()).empty()) {
    std::cout << "No prose under " << data_dir().string()
              << " (set DAC_TEST_DATA to the shared data folder); nothing to measure.\n";
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
