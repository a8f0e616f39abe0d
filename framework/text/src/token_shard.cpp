// Token shards: writer and memory-mapped reader of packed token rows.
// Layout: common header, ShardHeader, then sections ids (rows × seq_len × id_bytes),
// document_offsets (rows + 1 uint64 into document_starts), document_starts (uint16 positions).
#include "dac/text/token_shard.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

#include "binary_file.hpp"

namespace dac::text {
namespace {

constexpr char kMagic[8] = {'D', 'A', 'C', 'T', 'O', 'K', 'S', '\0'};
constexpr std::string_view kKind = "a token shard";

struct ShardHeader {
  std::uint32_t seq_len;
  std::uint32_t vocab_size;
  std::uint32_t id_bytes;
  std::uint32_t reserved;
  std::uint64_t rows;
  std::uint64_t ids_offset;
  std::uint64_t document_offsets_offset;
  std::uint64_t document_starts_offset;
  std::uint64_t document_start_count;
};
static_assert(sizeof(ShardHeader) % detail::kSectionAlignment == 0);

std::uint32_t id_bytes_for(std::uint32_t vocab_size) {
  return vocab_size <= 65536 ? 2 : 4;
}

template <typename Stored>
void pack_ids(std::span<const std::int32_t> ids, std::span<std::byte> out) {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto value = static_cast<Stored>(ids[i]);
    std::memcpy(out.data() + i * sizeof(Stored), &value, sizeof(Stored));
  }
}

// Widens stored ids into `out`; returns whether they all lie below `vocab_size`.
template <typename Stored>
bool unpack_ids(const std::byte* stored, std::uint32_t vocab_size, std::span<std::int32_t> out) {
  const auto* values = reinterpret_cast<const Stored*>(stored);
  bool in_range = true;
  for (std::size_t i = 0; i < out.size(); ++i) {
    in_range &= values[i] < vocab_size;
    out[i] = static_cast<std::int32_t>(values[i]);
  }
  return in_range;
}

}  // namespace

// ---- TokenShardWriter ----------------------------------------------------------------------

TokenShardWriter::TokenShardWriter(std::filesystem::path path, std::uint32_t seq_len,
                                   std::uint32_t vocab_size)
    : seq_len_(seq_len), vocab_size_(vocab_size), id_bytes_(id_bytes_for(vocab_size)) {
  if (seq_len == 0 || seq_len > 65536) {
    throw std::invalid_argument(path.string() + ": seq_len must be in [1, 65536]");
  }
  if (vocab_size == 0 || vocab_size > static_cast<std::uint32_t>(INT32_MAX)) {
    throw std::invalid_argument(path.string() + ": vocab_size must be in [1, 2^31)");
  }
  file_ = std::make_unique<detail::BinaryFileWriter>(std::move(path), std::string_view(kMagic, 8),
                                                     kTokenShardVersion, sizeof(ShardHeader));
  ids_offset_ = file_->begin_section();
  row_buffer_.resize(static_cast<std::size_t>(seq_len) * id_bytes_);
}

TokenShardWriter::~TokenShardWriter() = default;

void TokenShardWriter::add_row(std::span<const std::int32_t> ids,
                               std::span<const std::uint16_t> document_starts) {
  const auto reject = [&](const std::string& what) {
    throw std::invalid_argument(file_->path().string() + ": row " + std::to_string(rows_) + ": " +
                                what);
  };
  if (ids.size() != seq_len_) {
    reject(std::to_string(ids.size()) + " ids, the shard's rows hold " + std::to_string(seq_len_));
  }
  for (const std::int32_t id : ids) {
    if (id < 0 || static_cast<std::uint32_t>(id) >= vocab_size_) {
      reject("id " + std::to_string(id) + " outside the vocabulary of " +
             std::to_string(vocab_size_));
    }
  }
  for (std::size_t i = 0; i < document_starts.size(); ++i) {
    if (document_starts[i] >= seq_len_ || (i > 0 && document_starts[i] <= document_starts[i - 1])) {
      reject("document starts must be increasing positions within the row");
    }
  }
  if (id_bytes_ == 2) {
    pack_ids<std::uint16_t>(ids, row_buffer_);
  } else {
    pack_ids<std::uint32_t>(ids, row_buffer_);
  }
  file_->write(row_buffer_);
  document_starts_.insert(document_starts_.end(), document_starts.begin(), document_starts.end());
  document_offsets_.push_back(document_starts_.size());
  ++rows_;
}

void TokenShardWriter::finish() {
  ShardHeader header{};
  header.seq_len = seq_len_;
  header.vocab_size = vocab_size_;
  header.id_bytes = id_bytes_;
  header.rows = rows_;
  header.ids_offset = ids_offset_;
  header.document_offsets_offset = file_->begin_section();
  file_->write_array(std::span<const std::uint64_t>(document_offsets_));
  header.document_starts_offset = file_->begin_section();
  file_->write_array(std::span<const std::uint16_t>(document_starts_));
  header.document_start_count = document_starts_.size();
  file_->finish(detail::bytes_of(header));
}

// ---- TokenShardReader ----------------------------------------------------------------------

TokenShardReader::TokenShardReader(std::filesystem::path path, ChecksumCheck checksum)
    : file_(std::make_unique<detail::BinaryFileReader>(
          std::move(path), kKind, std::string_view(kMagic, 8), kTokenShardVersion,
          sizeof(ShardHeader), checksum == ChecksumCheck::kVerify)) {
  ShardHeader header{};
  file_->read_format_header(header);
  if (header.id_bytes != id_bytes_for(header.vocab_size) || header.seq_len == 0) {
    file_->fail("corrupt header (seq_len, vocab_size and id width disagree)");
  }
  const std::uint64_t ids_end = detail::section_end(
      header.ids_offset, detail::section_end(0, header.rows, header.seq_len), header.id_bytes);
  const std::uint64_t offsets_end =
      detail::section_end(header.document_offsets_offset, header.rows + 1, sizeof(std::uint64_t));
  const std::uint64_t starts_end = detail::section_end(
      header.document_starts_offset, header.document_start_count, sizeof(std::uint16_t));
  file_->require_size(std::max({ids_end, offsets_end, starts_end}),
                      "header says " + std::to_string(header.rows) + " rows");
  if (checksum == ChecksumCheck::kVerify) file_->verify_checksum();

  rows_ = header.rows;
  seq_len_ = header.seq_len;
  vocab_size_ = header.vocab_size;
  id_bytes_ = header.id_bytes;
  const std::uint64_t id_count = rows_ * seq_len_;
  ids_ = id_bytes_ == 2 ? reinterpret_cast<const std::byte*>(
                              file_->section<std::uint16_t>(header.ids_offset, id_count).data())
                        : reinterpret_cast<const std::byte*>(
                              file_->section<std::uint32_t>(header.ids_offset, id_count).data());
  document_offsets_ = file_->section<std::uint64_t>(header.document_offsets_offset, rows_ + 1);
  document_starts_ =
      file_->section<std::uint16_t>(header.document_starts_offset, header.document_start_count);
}

TokenShardReader::~TokenShardReader() = default;
TokenShardReader::TokenShardReader(TokenShardReader&&) noexcept = default;
TokenShardReader& TokenShardReader::operator=(TokenShardReader&&) noexcept = default;

const std::filesystem::path& TokenShardReader::path() const {
  return file_->path();
}

void TokenShardReader::check_index(std::uint64_t index) const {
  if (index >= rows_) {
    throw std::out_of_range(path().string() + ": row " + std::to_string(index) + " of " +
                            std::to_string(rows_));
  }
}

void TokenShardReader::row(std::uint64_t index, std::span<std::int32_t> out) const {
  check_index(index);
  if (out.size() != seq_len_) {
    throw std::invalid_argument(path().string() + ": row buffer of " + std::to_string(out.size()) +
                                " ids, rows hold " + std::to_string(seq_len_));
  }
  const std::byte* stored = ids_ + index * seq_len_ * id_bytes_;
  const bool in_range = id_bytes_ == 2 ? unpack_ids<std::uint16_t>(stored, vocab_size_, out)
                                       : unpack_ids<std::uint32_t>(stored, vocab_size_, out);
  if (!in_range) {
    file_->fail("row " + std::to_string(index) +
                " holds an id outside the vocabulary (file corrupt)");
  }
}

std::vector<std::int32_t> TokenShardReader::row(std::uint64_t index) const {
  std::vector<std::int32_t> ids(seq_len_);
  row(index, ids);
  return ids;
}

std::span<const std::uint16_t> TokenShardReader::document_starts(std::uint64_t index) const {
  check_index(index);
  const std::uint64_t begin = document_offsets_[index];
  const std::uint64_t end = document_offsets_[index + 1];
  if (begin > end || end > document_starts_.size()) {
    file_->fail("corrupt document offsets at row " + std::to_string(index));
  }
  return document_starts_.subspan(begin, end - begin);
}

}  // namespace dac::text
