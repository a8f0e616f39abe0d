// `dacrun bench ...`: speed measurements that print figures (never pass/fail checks).
#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include "cli.hpp"
#include "dac/device.hpp"
#include "dac/error.hpp"
#include "dac/suggest.hpp"
#include "dac/text/normalizers.hpp"
#include "dac/text/utf8.hpp"
#include "dac/text/wordpiece.hpp"

namespace dac::cli {

namespace {

constexpr const char* kBenchUsage = R"(usage: dacrun bench <name> [options]

benchmarks:
  matmul     dense n x n matmul throughput in GFLOP/s (checks that a fast BLAS or the GPU is used)
  tokenizer  normalisation + WordPiece encoding of a text file in wordpieces/s and MB/s
  pretrain   training tokens/s, TFLOP/s and MFU of an encoder on this device (random ids)
)";

int bench_matmul(const Args& args) {
  po::options_description options("options");
  options.add_options()(
      "size",
      po::value<std::vector<std::int64_t>>()->multitoken()->default_value({512, 1024}, "512 1024"),
      "matrix sizes")("repeat", po::value<int>()->default_value(5), "timed matmuls per size")(
      "dtype", po::value<std::string>()->default_value("float32"), "float32, bfloat16 or float16")(
      "device", po::value<std::string>()->default_value("cpu"), "cpu, cuda or cuda:K");
  po::variables_map values;
  if (!parse_arguments(args, options, {}, values, "usage: dacrun bench matmul [options]"))
    return kExitOk;
  std::cout << fmt::format("{:>6}  {:>9}  {:>8}  {:>12}  {:>10}\n", "size", "dtype", "device",
                           "ms/matmul", "GFLOP/s");
  for (const std::int64_t size : values["size"].as<std::vector<std::int64_t>>()) {
    const MatmulMeasurement m =
        measure_matmul(size, values["repeat"].as<int>(), values["dtype"].as<std::string>(),
                       values["device"].as<std::string>());
    std::cout << fmt::format("{:>6}  {:>9}  {:>8}  {:>12.3f}  {:>10.1f}\n", m.size, m.dtype,
                             m.device, m.seconds_per_matmul * 1e3, m.gflops);
  }
  return kExitOk;
}

// The lines of a text file (CR stripped, UTF-8 repaired), stopping after the line that passes
// `max_bytes` (0: the whole file).
std::vector<std::string> read_lines(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError("cannot read input file " + path);
  std::vector<std::string> lines;
  std::size_t bytes = 0;
  std::string line;
  while ((max_bytes == 0 || bytes < max_bytes) && std::getline(in, line)) {
    if (line.ends_with('\r')) line.pop_back();
    bytes += line.size() + 1;
    lines.push_back(text::repair_utf8(line));
  }
  return lines;
}

// Encodes `lines` on `threads` threads (each a contiguous share); returns the wordpiece count.
std::size_t encode_lines(const std::vector<std::string>& lines, const Normalizer& normalizer,
                         const text::WordPieceEncoder& encoder, int threads) {
  std::vector<std::size_t> pieces(threads, 0);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      text::WordPieceEncoder::Encoded encoded;
      const std::size_t end = lines.size() * (t + 1) / threads;
      for (std::size_t i = lines.size() * t / threads; i < end; ++i) {
        encoded.ids.clear();
        encoded.offsets.clear();
        encoder.encode(normalizer.pre_tokenize(lines[i]), encoded);
        pieces[t] += encoded.ids.size();
      }
    });
  }
  for (auto& worker : workers) worker.join();
  std::size_t total = 0;
  for (const std::size_t count : pieces) total += count;
  return total;
}

int bench_tokenizer(const Args& args) {
  po::options_description options("options");
  options.add_options()("vocab", po::value<std::string>()->required(),
                        "vocabulary file (vocab.txt)")(
      "normalizer", po::value<std::string>()->default_value("bert_uncased"),
      "bert_uncased or crammed")("input", po::value<std::string>()->required(),
                                 "text file, one text per line")(
      "threads", po::value<int>()->default_value(1), "encoding threads")(
      "max-mb", po::value<double>()->default_value(0), "read at most this many MB (0: all)");
  po::variables_map values;
  if (!parse_arguments(args, options, {}, values, "usage: dacrun bench tokenizer [options]"))
    return kExitOk;
  const int threads = values["threads"].as<int>();
  if (threads < 1) throw UserError("--threads must be at least 1");
  const text::Vocab vocab = text::Vocab::load(values["vocab"].as<std::string>());
  const auto normalizer = text::make_normalizer(values["normalizer"].as<std::string>());
  const text::WordPieceEncoder encoder(vocab);
  const auto lines = read_lines(values["input"].as<std::string>(),
                                static_cast<std::size_t>(values["max-mb"].as<double>() * 1e6));
  std::size_t bytes = 0;
  for (const auto& line : lines) bytes += line.size() + 1;

  const auto start = std::chrono::steady_clock::now();
  const std::size_t pieces = encode_lines(lines, *normalizer, encoder, threads);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << fmt::format(
      "{} lines, {:.1f} MB, {} wordpieces, {} thread(s): {:.3f} s, {:.0f} wordpieces/s, "
      "{:.1f} MB/s\n",
      lines.size(), bytes / 1e6, pieces, threads, seconds, pieces / seconds, bytes / 1e6 / seconds);
  return kExitOk;
}

}  // namespace

ConfigNode describe_device() {
  return describe_torch_device();
}

int bench_command(const Args& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kBenchUsage;
    return args.empty() ? kExitUserError : kExitOk;
  }
  const Args rest(args.begin() + 1, args.end());
  if (args[0] == "matmul") return bench_matmul(rest);
  if (args[0] == "tokenizer") return bench_tokenizer(rest);
  if (args[0] == "pretrain") return bench_pretrain(rest);
  throw UserError("unknown benchmark '" + args[0] + "'" +
                  did_you_mean(args[0], {"matmul", "tokenizer", "pretrain"}) +
                  ". Run `dacrun bench --help` for the list.");
}

}  // namespace dac::cli
