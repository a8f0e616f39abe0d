// Tests of packing documents into fixed-length rows: [SEP] after each document, rows cut at
// exactly seq_len across documents, document starts, the dropped tail, and chunks moving with
// their tokens (or being counted as cut at a row boundary, in total and per chunk type).
#include <gtest/gtest.h>

#include <vector>

#include "dac/text/row_packer.hpp"

namespace {

using dac::text::DocumentChunk;
using dac::text::PackedRow;
using dac::text::RowPacker;

constexpr std::int32_t kSep = 3;

TEST(RowPacker, DocumentsEndWithSepAndRowsCrossDocuments) {
  std::vector<PackedRow> rows;
  RowPacker packer(4, kSep, [&](PackedRow&& row) { rows.push_back(std::move(row)); });
  const std::vector<std::int32_t> first{10, 11, 12};
  const std::vector<std::int32_t> second{20, 21, 22, 23, 24};
  packer.add_document(first, {});
  packer.add_document(second, {});
  packer.finish();
  // Stream: 10 11 12 SEP | 20 21 22 23 | 24 SEP (dropped tail)
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].ids, (std::vector<std::int32_t>{10, 11, 12, kSep}));
  EXPECT_EQ(rows[1].ids, (std::vector<std::int32_t>{20, 21, 22, 23}));
  EXPECT_EQ(rows[0].document_starts, (std::vector<std::uint16_t>{0}));
  EXPECT_EQ(rows[1].document_starts, (std::vector<std::uint16_t>{0}));
  EXPECT_EQ(packer.stats().documents, 2u);
  EXPECT_EQ(packer.stats().tokens, 10u);
  EXPECT_EQ(packer.stats().rows, 2u);
  EXPECT_EQ(packer.stats().dropped_tail_tokens, 2u);
}

TEST(RowPacker, DocumentStartsInsideARow) {
  std::vector<PackedRow> rows;
  RowPacker packer(6, kSep, [&](PackedRow&& row) { rows.push_back(std::move(row)); });
  const std::vector<std::int32_t> a{1, 1}, b{2}, c{4, 4, 4};
  packer.add_document(a, {});
  packer.add_document(b, {});
  packer.add_document(c, {});
  // 1 1 SEP 2 SEP 4 | 4 4 SEP
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].document_starts, (std::vector<std::uint16_t>{0, 3, 5}));
}

TEST(RowPacker, ChunksMoveToRowPositionsOrAreCountedAsCut) {
  std::vector<PackedRow> rows;
  RowPacker packer(4, kSep, [&](PackedRow&& row) { rows.push_back(std::move(row)); });
  // Document of 6 tokens + SEP = positions 0..6; rows [0,4) and [4,8).
  const std::vector<std::int32_t> ids{10, 11, 12, 13, 14, 15};
  const std::vector<DocumentChunk> chunks{
      {0, 0, 1, {0, 1}},     // inside row 0
      {1, 5, 4, {4, 5}},     // inside row 1 -> positions 0, 1
      {0, 2, 4, {2, 3, 4}},  // crosses the boundary: cut
  };
  packer.add_document(ids, chunks);
  const std::vector<std::int32_t> more{16};
  packer.add_document(more, {});  // fills row 1: 14 15 SEP 16
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_EQ(rows[0].chunks.size(), 1u);
  EXPECT_EQ(rows[0].chunks[0].members, (std::vector<std::uint16_t>{0, 1}));
  EXPECT_EQ(rows[0].chunks[0].controller, 0);
  EXPECT_EQ(rows[0].chunks[0].target, 1);
  ASSERT_EQ(rows[1].chunks.size(), 1u);
  EXPECT_EQ(rows[1].chunks[0].type, 1);
  EXPECT_EQ(rows[1].chunks[0].controller, 1);
  EXPECT_EQ(rows[1].chunks[0].target, 0);
  EXPECT_EQ(rows[1].chunks[0].members, (std::vector<std::uint16_t>{0, 1}));
  EXPECT_EQ(rows[1].document_starts, (std::vector<std::uint16_t>{3}));
  EXPECT_EQ(packer.stats().chunks_kept, 2u);
  EXPECT_EQ(packer.stats().chunks_cut, 1u);
  EXPECT_EQ(packer.stats().chunks_kept_by_type, (std::vector<std::uint64_t>{1, 1}));
  EXPECT_EQ(packer.stats().chunks_cut_by_type, (std::vector<std::uint64_t>{1, 0}));
}

TEST(RowPacker, ChunksOfTheDroppedTailCountAsCut) {
  std::vector<PackedRow> rows;
  RowPacker packer(8, kSep, [&](PackedRow&& row) { rows.push_back(std::move(row)); });
  const std::vector<std::int32_t> ids{1, 2, 3};
  const std::vector<DocumentChunk> chunks{{0, 0, 1, {0, 1}}};
  packer.add_document(ids, chunks);
  packer.finish();
  EXPECT_TRUE(rows.empty());
  EXPECT_EQ(packer.stats().chunks_cut, 1u);
  EXPECT_EQ(packer.stats().chunks_cut_by_type, (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(packer.stats().dropped_tail_tokens, 4u);
}

}  // namespace
