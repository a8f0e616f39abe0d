// Annotation sidecars: per row of a token shard, the agreement chunks found in it (type, controller
// and target positions, member positions), in a versioned, checksummed, memory-mapped file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "dac/text/token_shard.hpp"

namespace dac::text {

inline constexpr std::uint32_t kAnnotationSidecarVersion = 1;

// One chunk of a row. Positions are token positions within the row; `type` indexes the sidecar's
// type-name table; `members` are strictly increasing.
struct Chunk {
  std::uint16_t type = 0;
  std::uint16_t controller = 0;
  std::uint16_t target = 0;
  std::vector<std::uint16_t> members;
};

// A chunk as read from a mapped sidecar (valid while the reader lives).
struct ChunkView {
  std::uint16_t type = 0;
  std::uint16_t controller = 0;
  std::uint16_t target = 0;
  std::span<const std::uint16_t> members;
};

// Writes a sidecar row by row, in the row order of its shard; finish() makes it appear at `path`
// atomically. Invalid chunks throw std::invalid_argument.
class AnnotationSidecarWriter {
 public:
  AnnotationSidecarWriter(std::filesystem::path path, std::uint32_t seq_len,
                          std::vector<std::string> type_names);
  ~AnnotationSidecarWriter();
  AnnotationSidecarWriter(const AnnotationSidecarWriter&) = delete;
  AnnotationSidecarWriter& operator=(const AnnotationSidecarWriter&) = delete;

  void add_row(std::span<const Chunk> chunks);
  void finish();
  std::uint64_t rows() const { return row_offsets_.size() - 1; }

 private:
  void check_chunk(const Chunk& chunk) const;

  std::unique_ptr<detail::BinaryFileWriter> file_;
  std::uint32_t seq_len_;
  std::vector<std::string> type_names_;
  std::uint64_t type_names_offset_ = 0;
  std::uint64_t type_names_bytes_ = 0;
  std::uint64_t chunk_words_offset_ = 0;
  std::vector<std::uint64_t> row_offsets_{0};  // rows + 1 entries into the chunk words
  std::vector<std::uint16_t> row_words_;
};

// Maps a sidecar and validates it, with the same errors as TokenShardReader ("FILE: not an
// annotation sidecar (bad magic)", version, checksum, "FILE: truncated: header says N rows, ...").
class AnnotationSidecarReader {
 public:
  explicit AnnotationSidecarReader(std::filesystem::path path,
                                   ChecksumCheck checksum = ChecksumCheck::kVerify);
  ~AnnotationSidecarReader();
  AnnotationSidecarReader(AnnotationSidecarReader&&) noexcept;
  AnnotationSidecarReader& operator=(AnnotationSidecarReader&&) noexcept;

  const std::filesystem::path& path() const;
  std::uint64_t rows() const { return rows_; }
  std::uint32_t seq_len() const { return seq_len_; }
  const std::vector<std::string>& type_names() const { return type_names_; }
  std::vector<ChunkView> chunks(std::uint64_t row) const;
  // A UserError naming both files when this sidecar does not describe `shard` (row count or
  // sequence length differ).
  void check_matches(const TokenShardReader& shard) const;

 private:
  void read_type_names(std::uint64_t offset, std::uint64_t bytes, std::uint32_t count);

  std::unique_ptr<detail::BinaryFileReader> file_;
  std::uint64_t rows_ = 0;
  std::uint32_t seq_len_ = 0;
  std::vector<std::string> type_names_;
  std::span<const std::uint64_t> row_offsets_;
  std::span<const std::uint16_t> words_;
};

}  // namespace dac::text
