// Token shards: round trips with uint16 and uint32 ids, document starts, atomic writing, and the
// error for every kind of damaged file; the checksum against XXH64 reference values.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "../../framework/text/src/binary_file.hpp"
#include "dac/error.hpp"
#include "dac/text/token_shard.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using dac::UserError;
using dac::test::contains;
using dac::test::error_of;
using dac::text::ChecksumCheck;
using dac::text::TokenShardReader;
using dac::text::TokenShardWriter;

constexpr std::uint32_t kSeqLen = 8;

std::vector<std::int32_t> row_of(std::int32_t first, std::int32_t stride) {
  std::vector<std::int32_t> ids(kSeqLen);
  for (std::uint32_t i = 0; i < kSeqLen; ++i) ids[i] = first + stride * static_cast<int>(i);
  return ids;
}

// Writes three rows (the last starting `first` + 2·stride·kSeqLen) to `path`.
void write_shard(const fs::path& path, std::uint32_t vocab_size, std::int32_t stride) {
  TokenShardWriter writer(path, kSeqLen, vocab_size);
  const std::vector<std::uint16_t> starts_a = {0, 5};
  const std::vector<std::uint16_t> starts_c = {3};
  writer.add_row(row_of(0, stride), starts_a);
  writer.add_row(row_of(kSeqLen * stride, stride));
  writer.add_row(row_of(2 * kSeqLen * stride, stride), starts_c);
  writer.finish();
}

void expect_shard_contents(const TokenShardReader& reader, std::int32_t stride) {
  ASSERT_EQ(reader.rows(), 3u);
  ASSERT_EQ(reader.seq_len(), kSeqLen);
  for (std::uint64_t row = 0; row < 3; ++row) {
    EXPECT_EQ(reader.row(row), row_of(static_cast<int>(row * kSeqLen) * stride, stride));
  }
  const auto starts = [&](std::uint64_t row) {
    const auto span = reader.document_starts(row);
    return std::vector<std::uint16_t>(span.begin(), span.end());
  };
  EXPECT_EQ(starts(0), (std::vector<std::uint16_t>{0, 5}));
  EXPECT_TRUE(starts(1).empty());
  EXPECT_EQ(starts(2), (std::vector<std::uint16_t>{3}));
}

// Applies `change` to the bytes of `path`.
template <typename Change>
void edit_file(const fs::path& path, Change change) {
  std::string bytes = dac::test::read_file(path);
  change(bytes);
  dac::test::write_file(path, bytes);
}

std::string open_error(const fs::path& path, ChecksumCheck check = ChecksumCheck::kVerify) {
  return error_of<UserError>([&] { TokenShardReader reader(path, check); });
}

class TokenShardFiles : public ::testing::Test {
 protected:
  void SetUp() override { write_shard(path_, 32768, 1000); }
  dac::test::TempDir dir_;
  fs::path path_ = dir_ / "train-000.toks";
};

TEST(TokenShard, RoundTripWithUint16Ids) {
  dac::test::TempDir dir;
  write_shard(dir / "a.toks", 32768, 1000);  // ids up to 23000
  const TokenShardReader reader(dir / "a.toks");
  EXPECT_EQ(reader.id_bytes(), 2u);
  EXPECT_EQ(reader.vocab_size(), 32768u);
  expect_shard_contents(reader, 1000);
}

TEST(TokenShard, RoundTripWithUint32Ids) {
  dac::test::TempDir dir;
  write_shard(dir / "a.toks", 100000, 4000);  // ids up to 92000
  const TokenShardReader reader(dir / "a.toks");
  EXPECT_EQ(reader.id_bytes(), 4u);
  expect_shard_contents(reader, 4000);
}

TEST(TokenShard, IdWidthBoundaryIs65536) {
  dac::test::TempDir dir;
  for (const std::uint32_t vocab : {65536u, 65537u}) {
    TokenShardWriter writer(dir / "a.toks", 1, vocab);
    const std::vector<std::int32_t> id = {static_cast<std::int32_t>(vocab - 1)};
    writer.add_row(id);
    writer.finish();
    const TokenShardReader reader(dir / "a.toks");
    EXPECT_EQ(reader.id_bytes(), vocab == 65536u ? 2u : 4u);
    EXPECT_EQ(reader.row(0), id);
  }
}

TEST(TokenShard, EmptyShardRoundTrips) {
  dac::test::TempDir dir;
  TokenShardWriter(dir / "empty.toks", 128, 32768).finish();
  const TokenShardReader reader(dir / "empty.toks");
  EXPECT_EQ(reader.rows(), 0u);
  EXPECT_EQ(reader.seq_len(), 128u);
}

TEST(TokenShard, NothingAppearsWithoutFinish) {
  dac::test::TempDir dir;
  {
    TokenShardWriter writer(dir / "a.toks", kSeqLen, 100);
    writer.add_row(row_of(0, 1));
  }
  EXPECT_TRUE(fs::is_empty(dir.path()));
  write_shard(dir / "a.toks", 32768, 1);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(TokenShard, WriterRejectsInvalidRows) {
  dac::test::TempDir dir;
  TokenShardWriter writer(dir / "a.toks", kSeqLen, 100);
  const std::vector<std::int32_t> short_row(kSeqLen - 1, 0);
  EXPECT_TRUE(contains(error_of<std::invalid_argument>([&] { writer.add_row(short_row); }),
                       "7 ids, the shard's rows hold 8"));
  EXPECT_TRUE(contains(error_of<std::invalid_argument>([&] { writer.add_row(row_of(95, 1)); }),
                       "id 100 outside the vocabulary of 100"));
  const std::vector<std::uint16_t> unordered = {4, 2};
  EXPECT_TRUE(
      contains(error_of<std::invalid_argument>([&] { writer.add_row(row_of(0, 1), unordered); }),
               "document starts"));
  const std::vector<std::uint16_t> outside = {kSeqLen};
  EXPECT_THROW(writer.add_row(row_of(0, 1), outside), std::invalid_argument);
  EXPECT_EQ(writer.rows(), 0u);
}

TEST(TokenShard, ReaderChecksRowArguments) {
  dac::test::TempDir dir;
  write_shard(dir / "a.toks", 32768, 1);
  const TokenShardReader reader(dir / "a.toks");
  EXPECT_THROW(reader.row(3), std::out_of_range);
  std::vector<std::int32_t> small(kSeqLen - 1);
  EXPECT_THROW(reader.row(0, small), std::invalid_argument);
}

TEST_F(TokenShardFiles, BadMagic) {
  edit_file(path_, [](std::string& bytes) { bytes[3] = 'X'; });
  EXPECT_EQ(open_error(path_), path_.string() + ": not a token shard (bad magic)");
}

TEST_F(TokenShardFiles, TextFileIsNotAShard) {
  dac::test::write_file(path_, "hello");
  EXPECT_EQ(open_error(path_), path_.string() + ": not a token shard (bad magic)");
}

TEST_F(TokenShardFiles, WrongVersion) {
  edit_file(path_, [](std::string& bytes) { bytes[8] = 7; });
  EXPECT_EQ(open_error(path_), path_.string() + ": format version 7, this dacrun reads version 1");
}

TEST_F(TokenShardFiles, FlippedPayloadByte) {
  const auto size = fs::file_size(path_);
  edit_file(path_, [&](std::string& bytes) { bytes[size - 3] ^= 0x10; });
  EXPECT_EQ(open_error(path_), path_.string() + ": checksum mismatch (file corrupt or truncated)");
}

TEST_F(TokenShardFiles, FlippedHeaderByte) {
  edit_file(path_, [](std::string& bytes) { bytes[32 + 4] ^= 0x01; });  // vocab_size
  EXPECT_TRUE(contains(open_error(path_), "checksum mismatch"));
}

TEST_F(TokenShardFiles, Truncated) {
  const auto size = fs::file_size(path_);
  fs::resize_file(path_, size - 10);
  EXPECT_EQ(open_error(path_), path_.string() + ": truncated: header says 3 rows, file holds " +
                                   std::to_string(size - 10) + " bytes");
  fs::resize_file(path_, 20);
  EXPECT_EQ(open_error(path_), path_.string() + ": truncated: 20 bytes, shorter than the header");
}

TEST_F(TokenShardFiles, TrailingBytes) {
  edit_file(path_, [](std::string& bytes) { bytes += "extra"; });
  EXPECT_TRUE(contains(open_error(path_), "file holds"));
}

TEST_F(TokenShardFiles, MissingFile) {
  EXPECT_TRUE(contains(open_error(dir_ / "absent.toks"), "absent.toks: cannot open"));
}

TEST_F(TokenShardFiles, SkippingTheChecksumStillCatchesIdsOutsideTheVocabulary) {
  // Row 0's first id sits right after the headers (32 + 56 bytes); 0xFFFF ≥ 32768.
  edit_file(path_, [](std::string& bytes) {
    bytes[88] = static_cast<char>(0xFF);
    bytes[89] = static_cast<char>(0xFF);
  });
  EXPECT_TRUE(contains(open_error(path_), "checksum mismatch"));
  const TokenShardReader reader(path_, ChecksumCheck::kSkip);
  EXPECT_EQ(error_of<UserError>([&] { reader.row(0); }),
            path_.string() + ": row 0 holds an id outside the vocabulary (file corrupt)");
  EXPECT_EQ(reader.row(1), row_of(8000, 1000));
}

TEST(BinaryFileChecksum, MatchesXxh64ReferenceValues) {
  const auto checksum = [](std::string_view text) {
    return dac::text::detail::checksum64(std::as_bytes(std::span(text.data(), text.size())));
  };
  EXPECT_EQ(checksum(""), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(checksum("a"), 0xD24EC4F1A98C6E5BULL);
  EXPECT_EQ(checksum("abc"), 0x44BC2CF5AD770999ULL);
  EXPECT_EQ(checksum("Nobody inspects the spammish repetition"), 0xFBCEA83C8A378BF1ULL);
}

}  // namespace
