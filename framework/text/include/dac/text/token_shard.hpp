// Token shards: packed rows of exactly seq_len token ids on disk (uint16 ids when the vocabulary
// fits, else uint32), with the positions where documents begin, read back through mmap.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

namespace dac::text {

namespace detail {
class BinaryFileWriter;
class BinaryFileReader;
}  // namespace detail

inline constexpr std::uint32_t kTokenShardVersion = 1;

enum class ChecksumCheck { kVerify, kSkip };

// Writes a shard row by row; finish() makes it appear at `path` atomically (temp file + rename).
// Without finish() nothing appears. Invalid rows throw std::invalid_argument.
class TokenShardWriter {
 public:
  TokenShardWriter(std::filesystem::path path, std::uint32_t seq_len, std::uint32_t vocab_size);
  ~TokenShardWriter();
  TokenShardWriter(const TokenShardWriter&) = delete;
  TokenShardWriter& operator=(const TokenShardWriter&) = delete;

  // `ids`: exactly seq_len ids in [0, vocab_size). `document_starts`: strictly increasing positions
  // in the row where a document begins.
  void add_row(std::span<const std::int32_t> ids,
               std::span<const std::uint16_t> document_starts = {});
  void finish();
  std::uint64_t rows() const { return rows_; }

 private:
  std::unique_ptr<detail::BinaryFileWriter> file_;
  std::uint32_t seq_len_;
  std::uint32_t vocab_size_;
  std::uint32_t id_bytes_;
  std::uint64_t rows_ = 0;
  std::uint64_t ids_offset_ = 0;
  std::vector<std::uint64_t> document_offsets_{0};  // rows + 1 entries into document_starts_
  std::vector<std::uint16_t> document_starts_;
  std::vector<std::byte> row_buffer_;
};

// Maps a shard and validates it; every problem is a dac::UserError naming the file ("FILE: not a
// token shard (bad magic)", "FILE: format version 7, this dacrun reads version 1", "FILE: checksum
// mismatch (file corrupt or truncated)", "FILE: truncated: header says N rows, file holds M
// bytes"). Thread-safe for concurrent reads.
class TokenShardReader {
 public:
  explicit TokenShardReader(std::filesystem::path path,
                            ChecksumCheck checksum = ChecksumCheck::kVerify);
  ~TokenShardReader();
  TokenShardReader(TokenShardReader&&) noexcept;
  TokenShardReader& operator=(TokenShardReader&&) noexcept;

  const std::filesystem::path& path() const;
  std::uint64_t rows() const { return rows_; }
  std::uint32_t seq_len() const { return seq_len_; }
  std::uint32_t vocab_size() const { return vocab_size_; }
  std::uint32_t id_bytes() const { return id_bytes_; }  // 2 or 4
  // Copies row `index` into `out` (exactly seq_len entries). An id outside the vocabulary (a
  // corrupt file read without checksum) is a UserError.
  void row(std::uint64_t index, std::span<std::int32_t> out) const;
  std::vector<std::int32_t> row(std::uint64_t index) const;
  std::span<const std::uint16_t> document_starts(std::uint64_t index) const;

 private:
  void check_index(std::uint64_t index) const;

  std::unique_ptr<detail::BinaryFileReader> file_;
  std::uint64_t rows_ = 0;
  std::uint32_t seq_len_ = 0;
  std::uint32_t vocab_size_ = 0;
  std::uint32_t id_bytes_ = 0;
  const std::byte* ids_ = nullptr;
  std::span<const std::uint64_t> document_offsets_;
  std::span<const std::uint16_t> document_starts_;
};

}  // namespace dac::text
