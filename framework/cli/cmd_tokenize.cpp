// `dacrun tokenize`: WordPiece-encodes one text per line and prints one JSON object per line
// (text, tokens, ids, raw byte offsets), without [CLS]/[SEP].
#include <fstream>
#include <iostream>

#include "cli.hpp"
#include "dac/error.hpp"
#include "dac/text/normalizers.hpp"
#include "dac/text/utf8.hpp"
#include "dac/text/wordpiece.hpp"

namespace dac::cli {

namespace {

constexpr const char* kTokenizeUsage =
    "usage: dacrun tokenize --vocab FILE [--normalizer bert_uncased|crammed] [--input FILE]\n"
    "Reads one text per line (stdin by default); prints one JSON object per line:\n"
    "{\"text\", \"tokens\", \"ids\", \"offsets\": [[begin, end], ...] (raw UTF-8 bytes)}.\n"
    "Invalid UTF-8 is replaced by U+FFFD first.";

void append_json_line(const std::string& text, const text::WordPieceEncoder::Encoded& encoded,
                      const text::Vocab& vocab, std::string& out) {
  out += "{\"text\": " + json_quote(text) + ", \"tokens\": [";
  for (std::size_t i = 0; i < encoded.ids.size(); ++i)
    out += (i ? ", " : "") + json_quote(vocab.token(encoded.ids[i]));
  out += "], \"ids\": [";
  for (std::size_t i = 0; i < encoded.ids.size(); ++i)
    out += (i ? ", " : "") + std::to_string(encoded.ids[i]);
  out += "], \"offsets\": [";
  for (std::size_t i = 0; i < encoded.offsets.size(); ++i) {
    const auto [begin, end] = encoded.offsets[i];
    out += (i ? ", [" : "[") + std::to_string(begin) + ", " + std::to_string(end) + "]";
  }
  out += "]}\n";
}

}  // namespace

int tokenize_command(const Args& args) {
  po::options_description options("options");
  options.add_options()("vocab", po::value<std::string>()->required(),
                        "vocabulary file (vocab.txt)")(
      "normalizer", po::value<std::string>()->default_value("bert_uncased"),
      "bert_uncased or crammed")("input", po::value<std::string>()->default_value("-"),
                                 "text file, one text per line (- for stdin)");
  po::variables_map values;
  if (!parse_arguments(args, options, {}, values, kTokenizeUsage)) return kExitOk;

  const text::Vocab vocab = text::Vocab::load(values["vocab"].as<std::string>());
  const auto normalizer = text::make_normalizer(values["normalizer"].as<std::string>());
  const text::WordPieceEncoder encoder(vocab);
  const std::string input = values["input"].as<std::string>();
  std::ifstream file;
  if (input != "-") {
    file.open(input, std::ios::binary);
    if (!file) throw UserError("cannot read input file " + input);
  }
  std::istream& in = input == "-" ? std::cin : file;

  std::string line;
  std::string out;
  text::WordPieceEncoder::Encoded encoded;
  while (std::getline(in, line)) {
    if (line.ends_with('\r')) line.pop_back();
    const std::string repaired = text::repair_utf8(line);
    encoded.ids.clear();
    encoded.offsets.clear();
    encoder.encode(normalizer->pre_tokenize(repaired), encoded);
    append_json_line(repaired, encoded, vocab, out);
    if (out.size() > (1 << 16)) {
      std::cout << out;
      out.clear();
    }
  }
  std::cout << out << std::flush;
  return kExitOk;
}

}  // namespace dac::cli
