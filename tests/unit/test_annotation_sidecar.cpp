// Annotation sidecars: round trip of chunks and type names, writer validation, damaged files, and
// the check that a sidecar describes its token shard.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dac/error.hpp"
#include "dac/text/annotation_sidecar.hpp"
#include "dac/text/token_shard.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using dac::UserError;
using dac::test::contains;
using dac::test::error_of;
using dac::text::AnnotationSidecarReader;
using dac::text::AnnotationSidecarWriter;
using dac::text::Chunk;
using dac::text::ChunkView;

constexpr std::uint32_t kSeqLen = 16;
const std::vector<std::string> kTypes = {"subject_verb", "verb_object", "adjective_noun",
                                         "determiner_noun"};

std::vector<std::vector<Chunk>> example_rows() {
  return {
      {{0, 1, 3, {1, 2, 3}}, {3, 5, 4, {4, 5}}},
      {},
      {{2, 15, 14, {14, 15}}, {0, 0, 9, {0, 8, 9}}, {1, 9, 12, {9, 10, 11, 12}}},
  };
}

void write_sidecar(const fs::path& path, std::size_t rows = 3) {
  AnnotationSidecarWriter writer(path, kSeqLen, kTypes);
  const auto chunks = example_rows();
  for (std::size_t row = 0; row < rows; ++row) writer.add_row(chunks[row % chunks.size()]);
  writer.finish();
}

void write_shard(const fs::path& path, std::uint64_t rows, std::uint32_t seq_len = kSeqLen) {
  dac::text::TokenShardWriter writer(path, seq_len, 100);
  const std::vector<std::int32_t> ids(seq_len, 7);
  for (std::uint64_t row = 0; row < rows; ++row) writer.add_row(ids);
  writer.finish();
}

bool same(const ChunkView& view, const Chunk& chunk) {
  return view.type == chunk.type && view.controller == chunk.controller &&
         view.target == chunk.target &&
         std::vector<std::uint16_t>(view.members.begin(), view.members.end()) == chunk.members;
}

std::string open_error(const fs::path& path) {
  return error_of<UserError>([&] { AnnotationSidecarReader reader(path); });
}

TEST(AnnotationSidecar, RoundTrip) {
  dac::test::TempDir dir;
  write_sidecar(dir / "a.anno");
  const AnnotationSidecarReader reader(dir / "a.anno");
  EXPECT_EQ(reader.rows(), 3u);
  EXPECT_EQ(reader.seq_len(), kSeqLen);
  EXPECT_EQ(reader.type_names(), kTypes);
  const auto expected = example_rows();
  for (std::uint64_t row = 0; row < 3; ++row) {
    const auto chunks = reader.chunks(row);
    ASSERT_EQ(chunks.size(), expected[row].size()) << "row " << row;
    for (std::size_t i = 0; i < chunks.size(); ++i) {
      EXPECT_TRUE(same(chunks[i], expected[row][i])) << "row " << row << " chunk " << i;
    }
  }
  EXPECT_THROW(reader.chunks(3), std::out_of_range);
}

TEST(AnnotationSidecar, NoTypesNoRows) {
  dac::test::TempDir dir;
  AnnotationSidecarWriter(dir / "a.anno", kSeqLen, {}).finish();
  const AnnotationSidecarReader reader(dir / "a.anno");
  EXPECT_EQ(reader.rows(), 0u);
  EXPECT_TRUE(reader.type_names().empty());
}

TEST(AnnotationSidecar, WriterRejectsInvalidChunks) {
  dac::test::TempDir dir;
  AnnotationSidecarWriter writer(dir / "a.anno", kSeqLen, kTypes);
  const auto rejects = [&](Chunk chunk, const std::string& part) {
    const std::vector<Chunk> row = {std::move(chunk)};
    EXPECT_TRUE(contains(error_of<std::invalid_argument>([&] { writer.add_row(row); }), part));
  };
  rejects({4, 0, 1, {0, 1}}, "chunk type 4 has no name");
  rejects({0, 16, 1, {1}}, "controller or target position outside the row");
  rejects({0, 0, 1, {1, 0}}, "strictly increasing");
  rejects({0, 0, 1, {1, 1}}, "strictly increasing");
  rejects({0, 0, 1, {0, 16}}, "strictly increasing");
  EXPECT_EQ(writer.rows(), 0u);
  EXPECT_THROW(AnnotationSidecarWriter(dir / "b.anno", kSeqLen, {"ok", ""}), std::invalid_argument);
}

TEST(AnnotationSidecar, DamagedFiles) {
  dac::test::TempDir dir;
  const fs::path path = dir / "a.anno";
  const auto fresh = [&] { write_sidecar(path); };
  const auto edit = [&](auto change) {
    std::string bytes = dac::test::read_file(path);
    change(bytes);
    dac::test::write_file(path, bytes);
  };

  fresh();
  edit([](std::string& bytes) { bytes[0] = 'X'; });
  EXPECT_EQ(open_error(path), path.string() + ": not an annotation sidecar (bad magic)");

  fresh();
  edit([](std::string& bytes) { bytes[8] = 7; });
  EXPECT_EQ(open_error(path), path.string() + ": format version 7, this dacrun reads version 1");

  fresh();
  edit([](std::string& bytes) { bytes[bytes.size() / 2] ^= 0x40; });
  EXPECT_EQ(open_error(path), path.string() + ": checksum mismatch (file corrupt or truncated)");

  fresh();
  const auto size = fs::file_size(path);
  fs::resize_file(path, size - 1);
  EXPECT_EQ(open_error(path), path.string() + ": truncated: header says 3 rows, file holds " +
                                  std::to_string(size - 1) + " bytes");

  write_shard(dir / "a.toks", 3);
  EXPECT_EQ(open_error(dir / "a.toks"),
            (dir / "a.toks").string() + ": not an annotation sidecar (bad magic)");
}

TEST(AnnotationSidecar, MatchesItsShard) {
  dac::test::TempDir dir;
  write_sidecar(dir / "a.anno", 3);
  write_shard(dir / "a.toks", 3);
  const AnnotationSidecarReader sidecar(dir / "a.anno");
  EXPECT_NO_THROW(sidecar.check_matches(dac::text::TokenShardReader(dir / "a.toks")));

  write_shard(dir / "b.toks", 4);
  const std::string rows_error = error_of<UserError>(
      [&] { sidecar.check_matches(dac::text::TokenShardReader(dir / "b.toks")); });
  EXPECT_EQ(rows_error, (dir / "a.anno").string() +
                            ": annotation sidecar holds 3 rows of 16 tokens, but its token shard " +
                            (dir / "b.toks").string() + " holds 4 rows of 16 tokens");

  write_shard(dir / "c.toks", 3, 32);
  const std::string length_error = error_of<UserError>(
      [&] { sidecar.check_matches(dac::text::TokenShardReader(dir / "c.toks")); });
  EXPECT_TRUE(contains(length_error, "c.toks holds 3 rows of 32 tokens"));
}

}  // namespace
