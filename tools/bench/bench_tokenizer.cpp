// Tokenizer throughput on real prose (Wikipedia text from DAC_TEST_DATA): normalisation plus
// WordPiece encoding with the standard BERT uncased vocabulary; items/s = wordpieces/s.
// Run: build/bin/dac_bench_tokenizer
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "dac/text/normalizers.hpp"
#include "dac/text/utf8.hpp"
#include "dac/text/wordpiece.hpp"

namespace {

namespace fs = std::filesystem;

fs::path data_dir() {
  const char* configured = std::getenv("DAC_TEST_DATA");
  return configured && *configured ? fs::path(configured)
                                   : fs::path(DAC_SOURCE_DIR) / ".." / "shared" / "data";
}

// About 4 MB of Wikipedia lines (markup lines dropped), or none when the data is absent.
const std::vector<std::string>& prose_lines() {
  static const std::vector<std::string> lines = [] {
    std::vector<std::string> out;
    std::size_t bytes = 0;
    const fs::path folder = data_dir() / "wikipedia_en_wikiextractor" / "AA";
    for (int file = 0; file < 10 && bytes < 4'000'000; ++file) {
      std::ifstream in(folder / ("wiki_0" + std::to_string(file)), std::ios::binary);
      for (std::string line; bytes < 4'000'000 && std::getline(in, line);) {
        if (line.empty() || line.starts_with("<doc") || line.starts_with("</doc")) continue;
        bytes += line.size();
        out.push_back(dac::text::repair_utf8(line));
      }
    }
    return out;
  }();
  return lines;
}

void BM_Tokenize(benchmark::State& state, const std::string& normalizer_name) {
  const fs::path vocab_path = data_dir() / "bert_vocab" / "bert-base-uncased-vocab.txt";
  if (prose_lines().empty() || !fs::exists(vocab_path)) {
    state.SkipWithError("real data absent: set DAC_TEST_DATA to the shared data folder");
    return;
  }
  const auto vocab = dac::text::Vocab::load(vocab_path);
  const auto normalizer = dac::text::make_normalizer(normalizer_name);
  const dac::text::WordPieceEncoder encoder(vocab);
  std::size_t pieces = 0;
  std::size_t bytes = 0;
  dac::text::WordPieceEncoder::Encoded encoded;
  for (auto _ : state) {
    for (const std::string& line : prose_lines()) {
      encoded.ids.clear();
      encoded.offsets.clear();
      encoder.encode(normalizer->pre_tokenize(line), encoded);
      pieces += encoded.ids.size();
      bytes += line.size();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(pieces));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK_CAPTURE(BM_Tokenize, bert_uncased, std::string("bert_uncased"))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Tokenize, crammed, std::string("crammed"))->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
