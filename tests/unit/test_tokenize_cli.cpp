// Tests for `dacrun tokenize` and `dacrun bench tokenizer`: exact agreement with the reference
// BERT uncased tokenizations, JSON output, invalid UTF-8 and errors.
#include <gtest/gtest.h>

#include <sstream>

#include "dac/text/utf8.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using dac::test::contains;

// Just enough JSON to read the reference and dacrun's output: strings, numbers, arrays, objects.
struct Json {
  std::string string;
  double number = 0;
  std::vector<Json> items;
  std::vector<std::pair<std::string, Json>> fields;

  const Json& operator[](const std::string& key) const {
    for (const auto& [name, value] : fields)
      if (name == key) return value;
    throw std::runtime_error("no JSON field " + key);
  }
};

class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : text_(text) {}

  Json value() {
    skip_space();
    Json out;
    const char c = text_.at(pos_);
    if (c == '"') {
      out.string = string();
    } else if (c == '[') {
      ++pos_;
      while (!next_is(']')) {
        out.items.push_back(value());
        next_is(',');
      }
    } else if (c == '{') {
      ++pos_;
      while (!next_is('}')) {
        skip_space();
        std::string key = string();
        next_is(':');
        out.fields.emplace_back(std::move(key), value());
        next_is(',');
      }
    } else {
      std::size_t used = 0;
      out.number = std::stod(std::string(text_.substr(pos_, 32)), &used);
      pos_ += used;
    }
    return out;
  }

 private:
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool next_is(char c) {
    skip_space();
    if (text_.at(pos_) != c) return false;
    ++pos_;
    return true;
  }
  char32_t hex4() {
    const auto value =
        static_cast<char32_t>(std::stoul(std::string(text_.substr(pos_, 4)), nullptr, 16));
    pos_ += 4;
    return value;
  }
  std::string string() {
    std::string out;
    ++pos_;  // opening quote
    for (char c; (c = text_.at(pos_++)) != '"';) {
      if (c != '\\') {
        out += c;
        continue;
      }
      const char escape = text_.at(pos_++);
      switch (escape) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          char32_t code = hex4();
          if (code >= 0xD800 && code < 0xDC00 && text_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            code = 0x10000 + ((code - 0xD800) << 10) + (hex4() - 0xDC00);
          }
          dac::text::append_utf8(code, out);
          break;
        }
        default:
          out += escape;
      }
    }
    return out;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

Json parse_json(std::string_view text) {
  return JsonReader(text).value();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> strings_of(const Json& array) {
  std::vector<std::string> out;
  for (const Json& item : array.items) out.push_back(item.string);
  return out;
}

std::vector<int> ints_of(const Json& array) {
  std::vector<int> out;
  for (const Json& item : array.items) out.push_back(static_cast<int>(item.number));
  return out;
}

std::optional<fs::path> standard_vocab() {
  const auto data = dac::test::test_data_dir();
  if (!data) return std::nullopt;
  return *data / "bert_vocab" / "bert-base-uncased-vocab.txt";
}

// Writes a tiny vocabulary for tests that need no real data.
fs::path tiny_vocab(const dac::test::TempDir& dir) {
  const fs::path path = dir / "vocab.txt";
  dac::test::write_file(path, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\n##s\n,\n!\n\"\n");
  return path;
}

TEST(TokenizeCli, MatchesEveryReferenceTokenization) {
  const auto data = dac::test::test_data_dir();
  if (!data) GTEST_SKIP() << "real data folder absent (set DAC_TEST_DATA)";
  const fs::path reference_path = *data / "tokenizer_ref" / "glue_dev_bert_uncased.jsonl";
  std::vector<Json> references;
  std::string texts;
  for (const std::string& line : lines_of(dac::test::read_file(reference_path))) {
    references.push_back(parse_json(line));
    texts += references.back()["text"].string + "\n";
  }
  ASSERT_GT(references.size(), 6000u);
  dac::test::TempDir dir;
  dac::test::write_file(dir / "texts.txt", texts);
  const auto result = dac::test::run_dacrun(
      {"tokenize", "--vocab", standard_vocab()->string(), "--input", (dir / "texts.txt").string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto outputs = lines_of(result.out);
  ASSERT_EQ(outputs.size(), references.size());
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < references.size(); ++i) {
    const Json output = parse_json(outputs[i]);
    const Json& reference = references[i];
    const bool same = output["text"].string == reference["text"].string &&
                      strings_of(output["tokens"]) == strings_of(reference["tokens"]) &&
                      ints_of(output["ids"]) == ints_of(reference["ids"]);
    if (!same && ++mismatches <= 5)
      ADD_FAILURE() << "line " << i + 1 << ": " << reference["text"].string << "\n got "
                    << outputs[i];
    ASSERT_EQ(output["offsets"].items.size(), output["ids"].items.size());
  }
  EXPECT_EQ(mismatches, 0u);
}

TEST(TokenizeCli, ReadsStdinAndPrintsOffsets) {
  dac::test::TempDir dir;
  const fs::path vocab = tiny_vocab(dir);
  const auto result = dac::test::run_command(
      "printf 'Hello, hellos!\\r\\n\\n``Hello\\n' | " +
      dac::test::shell_quote(std::string(DAC_BIN_DIR) + "/dacrun") + " tokenize --vocab " +
      dac::test::shell_quote(vocab.string()) + " --normalizer crammed");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(
      lines[0],
      "{\"text\": \"Hello, hellos!\", \"tokens\": [\"hello\", \",\", \"hello\", \"##s\", \"!\"], "
      "\"ids\": [5, 7, 5, 6, 8], \"offsets\": [[0, 5], [5, 6], [7, 12], [12, 13], [13, 14]]}");
  EXPECT_EQ(lines[1], "{\"text\": \"\", \"tokens\": [], \"ids\": [], \"offsets\": []}");
  EXPECT_EQ(parse_json(lines[2])["offsets"].items[0].items[1].number, 2);
}

TEST(TokenizeCli, RepairsInvalidUtf8) {
  dac::test::TempDir dir;
  const fs::path vocab = tiny_vocab(dir);
  dac::test::write_file(dir / "bad.txt", "hel\xFFlo \xC3\n");
  const auto result = dac::test::run_dacrun(
      {"tokenize", "--vocab", vocab.string(), "--input", (dir / "bad.txt").string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Json output = parse_json(result.out);
  EXPECT_EQ(output["text"].string, "hel\xEF\xBF\xBDlo \xEF\xBF\xBD");
  EXPECT_EQ(strings_of(output["tokens"]), (std::vector<std::string>{"hello"}));
  EXPECT_TRUE(dac::text::is_valid_utf8(result.out));
}

TEST(TokenizeCli, UserErrors) {
  dac::test::TempDir dir;
  const fs::path vocab = tiny_vocab(dir);
  auto result = dac::test::run_dacrun({"tokenize", "--vocab", (dir / "absent.txt").string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_PRED2(contains, result.err, "cannot read vocabulary file");
  result = dac::test::run_dacrun({"tokenize", "--vocab", vocab.string(), "--normalizer", "cramed"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_PRED2(contains, result.err, "unknown normalizer 'cramed'");
  EXPECT_PRED2(contains, result.err, "crammed");
  result = dac::test::run_dacrun(
      {"tokenize", "--vocab", vocab.string(), "--input", (dir / "absent.txt").string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_PRED2(contains, result.err, "cannot read input file");
  result = dac::test::run_dacrun({"tokenise"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_PRED2(contains, result.err, "tokenize");
}

TEST(TokenizeCli, BenchTokenizerPrintsThroughput) {
  dac::test::TempDir dir;
  const fs::path vocab = tiny_vocab(dir);
  std::string text;
  for (int i = 0; i < 200; ++i) text += "Hello, hellos! \"hello\"\n";
  dac::test::write_file(dir / "text.txt", text);
  const auto result =
      dac::test::run_dacrun({"bench", "tokenizer", "--vocab", vocab.string(), "--input",
                             (dir / "text.txt").string(), "--threads", "2"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_PRED2(contains, result.out, "200 lines");
  EXPECT_PRED2(contains, result.out, "1600 wordpieces");
  EXPECT_PRED2(contains, result.out, "wordpieces/s");
}

}  // namespace
