// Tests of InputFile: plain, gzip and zstd files read line by line (CRLF, missing final newline,
// long lines, multi-member gzip), and the errors for truncated or corrupt compressed files.
#include "dac/text/input_file.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dac/error.hpp"
#include "support/compress.hpp"
#include "support/test_support.hpp"

namespace {

using dac::UserError;
using dac::test::contains;
using dac::test::error_of;
using dac::test::gzip_bytes;
using dac::test::TempDir;
using dac::test::write_file;
using dac::text::Compression;
using dac::text::InputFile;

std::vector<std::string> read_lines(const std::filesystem::path& path) {
  InputFile input(path);
  std::vector<std::string> lines;
  std::string_view line;
  while (input.next_line(line)) {
    lines.emplace_back(line);
    EXPECT_EQ(input.line_number(), lines.size());
  }
  return lines;
}

// Several MB of lines of varied length (longer than the reader's buffers), some non-ASCII.
std::vector<std::string> sample_lines() {
  std::vector<std::string> lines;
  for (int i = 0; i < 60000; ++i) {
    std::string line = "line " + std::to_string(i) + " café ";
    line.append(static_cast<std::size_t>((i * 37) % 200), static_cast<char>('a' + i % 26));
    lines.push_back(line);
  }
  return lines;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

TEST(InputFile, SplitsLinesStrippingCrlfAndKeepsALastLineWithoutNewline) {
  TempDir dir;
  write_file(dir / "a.txt", "one\r\ntwo\n\r\n\nlast");
  EXPECT_EQ(read_lines(dir / "a.txt"), (std::vector<std::string>{"one", "two", "", "", "last"}));
  write_file(dir / "b.txt", "only\r");
  EXPECT_EQ(read_lines(dir / "b.txt"), (std::vector<std::string>{"only"}));
}

TEST(InputFile, EmptyFileHasNoLinesAndByteOrderMarkIsDropped) {
  TempDir dir;
  write_file(dir / "empty.txt", "");
  EXPECT_TRUE(read_lines(dir / "empty.txt").empty());
  write_file(dir / "bom.txt", "\xEF\xBB\xBFhello\nworld\n");
  EXPECT_EQ(read_lines(dir / "bom.txt"), (std::vector<std::string>{"hello", "world"}));
}

TEST(InputFile, ReadsLinesLongerThanItsBuffer) {
  TempDir dir;
  const std::string long_line(3 << 20, 'x');
  write_file(dir / "long.txt", "a\n" + long_line + "\nb\n");
  EXPECT_EQ(read_lines(dir / "long.txt"), (std::vector<std::string>{"a", long_line, "b"}));
}

TEST(InputFile, PlainFileRoundTrip) {
  TempDir dir;
  const std::vector<std::string> lines = sample_lines();
  write_file(dir / "plain.txt", joined(lines));
  InputFile input(dir / "plain.txt");
  EXPECT_EQ(input.compression(), Compression::kNone);
  EXPECT_EQ(read_lines(dir / "plain.txt"), lines);
}

TEST(InputFile, GzipRoundTripChosenByMagicBytes) {
  TempDir dir;
  const std::vector<std::string> lines = sample_lines();
  const std::string compressed = gzip_bytes(joined(lines));
  write_file(dir / "a.txt.gz", compressed);
  write_file(dir / "no_extension", compressed);
  EXPECT_EQ(InputFile(dir / "a.txt.gz").compression(), Compression::kGzip);
  EXPECT_EQ(dac::text::detect_compression(dir / "no_extension"), Compression::kGzip);
  EXPECT_EQ(read_lines(dir / "a.txt.gz"), lines);
  EXPECT_EQ(read_lines(dir / "no_extension"), lines);
}

TEST(InputFile, GzipWithSeveralMembers) {
  TempDir dir;
  write_file(dir / "multi.gz",
             gzip_bytes("first\nsecond ") + gzip_bytes("") + gzip_bytes("half\nthird\n"));
  EXPECT_EQ(read_lines(dir / "multi.gz"),
            (std::vector<std::string>{"first", "second half", "third"}));
}

TEST(InputFile, ZstdRoundTripWithSeveralFrames) {
  TempDir dir;
  const std::vector<std::string> lines = sample_lines();
  const std::string text = joined(lines);
  const std::size_t half = text.size() / 2;
  write_file(dir / "a.zst", dac::test::zstd_bytes(text.substr(0, half)) +
                                dac::test::zstd_bytes(text.substr(half)));
  EXPECT_EQ(InputFile(dir / "a.zst").compression(), Compression::kZstd);
  EXPECT_EQ(read_lines(dir / "a.zst"), lines);
}

TEST(InputFile, TruncatedGzipNamesTheFile) {
  TempDir dir;
  const std::string compressed = gzip_bytes(joined(sample_lines()));
  const auto path = dir / "cut.txt.gz";
  write_file(path, compressed.substr(0, compressed.size() / 2));
  const std::string message = error_of<UserError>([&] { read_lines(path); });
  EXPECT_PRED2(contains, message,
               path.string() + ": truncated gzip stream after " +
                   std::to_string(compressed.size() / 2) + " bytes");
}

TEST(InputFile, CorruptGzipNamesTheProblem) {
  TempDir dir;
  std::string compressed = gzip_bytes(joined(sample_lines()));
  for (std::size_t i = 100; i < 200; ++i) compressed[i] = static_cast<char>(compressed[i] ^ 0x5a);
  write_file(dir / "bad.gz", compressed);
  const std::string message = error_of<UserError>([&] { read_lines(dir / "bad.gz"); });
  EXPECT_PRED2(contains, message, (dir / "bad.gz").string() + ": corrupt gzip data: ");
}

TEST(InputFile, TruncatedZstdNamesTheFile) {
  TempDir dir;
  const std::string compressed = dac::test::zstd_bytes(joined(sample_lines()));
  write_file(dir / "cut.zst", compressed.substr(0, compressed.size() - 10));
  const std::string message = error_of<UserError>([&] { read_lines(dir / "cut.zst"); });
  EXPECT_PRED2(contains, message, (dir / "cut.zst").string() + ": truncated zstd stream after ");
}

TEST(InputFile, CorruptZstdNamesTheReason) {
  TempDir dir;
  std::string compressed = dac::test::zstd_bytes(joined(sample_lines()));
  for (std::size_t i = 100; i < 200; ++i) compressed[i] = static_cast<char>(compressed[i] ^ 0x5a);
  write_file(dir / "bad.zst", compressed);
  const std::string message = error_of<UserError>([&] { read_lines(dir / "bad.zst"); });
  EXPECT_PRED2(contains, message, (dir / "bad.zst").string() + ": corrupt zstd data: ");
}

TEST(InputFile, MissingFileOrFolderIsAUserError) {
  TempDir dir;
  EXPECT_PRED2(contains, error_of<UserError>([&] { InputFile input(dir / "nope.txt"); }),
               "nope.txt: cannot open");
  EXPECT_PRED2(contains, error_of<UserError>([&] { InputFile input(dir.path()); }), "is a folder");
}

TEST(InputFile, WhereNamesFileAndLine) {
  TempDir dir;
  write_file(dir / "a.txt", "x\ny\n");
  InputFile input(dir / "a.txt");
  std::string_view line;
  input.next_line(line);
  input.next_line(line);
  EXPECT_EQ(input.where(), (dir / "a.txt").string() + ":2");
  EXPECT_EQ(input.file_bytes(), 4u);
}

}  // namespace
