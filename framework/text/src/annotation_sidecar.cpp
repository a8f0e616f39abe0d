// Annotation sidecars: writer and memory-mapped reader of per-row agreement chunks.
// Layout: common header, SidecarHeader, then sections type_names ('\0'-terminated names),
// chunk_words (uint16: per chunk type, controller, target, member count, members...) and
// row_offsets (rows + 1 uint64 indices into chunk_words).
#include "dac/text/annotation_sidecar.hpp"

#include <algorithm>
#include <stdexcept>

#include "binary_file.hpp"
#include "dac/error.hpp"

namespace dac::text {
namespace {

constexpr char kMagic[8] = {'D', 'A', 'C', 'A', 'N', 'N', 'O', '\0'};
constexpr std::string_view kKind = "an annotation sidecar";
constexpr std::size_t kChunkFixedWords = 4;  // type, controller, target, member count

struct SidecarHeader {
  std::uint32_t seq_len;
  std::uint32_t type_count;
  std::uint64_t rows;
  std::uint64_t type_names_offset;
  std::uint64_t type_names_bytes;
  std::uint64_t chunk_words_offset;
  std::uint64_t chunk_word_count;
  std::uint64_t row_offsets_offset;
};
static_assert(sizeof(SidecarHeader) % detail::kSectionAlignment == 0);

}  // namespace

// ---- AnnotationSidecarWriter ---------------------------------------------------------------

AnnotationSidecarWriter::AnnotationSidecarWriter(std::filesystem::path path, std::uint32_t seq_len,
                                                 std::vector<std::string> type_names)
    : seq_len_(seq_len), type_names_(std::move(type_names)) {
  if (seq_len == 0 || seq_len > 65535) {
    throw std::invalid_argument(path.string() + ": seq_len must be in [1, 65535]");
  }
  if (type_names_.size() > 65536) {
    throw std::invalid_argument(path.string() + ": more than 65536 chunk types");
  }
  for (const std::string& name : type_names_) {
    if (name.empty() || name.find('\0') != std::string::npos) {
      throw std::invalid_argument(path.string() + ": chunk type names must be non-empty, no NUL");
    }
  }
  file_ =
      std::make_unique<detail::BinaryFileWriter>(std::move(path), std::string_view(kMagic, 8),
                                                 kAnnotationSidecarVersion, sizeof(SidecarHeader));
  type_names_offset_ = file_->begin_section();
  for (const std::string& name : type_names_) {
    file_->write(std::as_bytes(std::span(name.c_str(), name.size() + 1)));
  }
  type_names_bytes_ = file_->offset() - type_names_offset_;
  chunk_words_offset_ = file_->begin_section();
}

AnnotationSidecarWriter::~AnnotationSidecarWriter() = default;

void AnnotationSidecarWriter::check_chunk(const Chunk& chunk) const {
  const auto reject = [&](const std::string& what) {
    throw std::invalid_argument(file_->path().string() + ": row " + std::to_string(rows()) + ": " +
                                what);
  };
  if (chunk.type >= type_names_.size()) {
    reject("chunk type " + std::to_string(chunk.type) + " has no name in the type table");
  }
  if (chunk.controller >= seq_len_ || chunk.target >= seq_len_) {
    reject("controller or target position outside the row");
  }
  if (chunk.members.size() > seq_len_ ||
      std::adjacent_find(chunk.members.begin(), chunk.members.end(), std::greater_equal<>()) !=
          chunk.members.end() ||
      (!chunk.members.empty() && chunk.members.back() >= seq_len_)) {
    reject("chunk members must be strictly increasing positions within the row");
  }
}

void AnnotationSidecarWriter::add_row(std::span<const Chunk> chunks) {
  row_words_.clear();
  for (const Chunk& chunk : chunks) {
    check_chunk(chunk);
    row_words_.insert(row_words_.end(), {chunk.type, chunk.controller, chunk.target,
                                         static_cast<std::uint16_t>(chunk.members.size())});
    row_words_.insert(row_words_.end(), chunk.members.begin(), chunk.members.end());
  }
  file_->write_array(std::span<const std::uint16_t>(row_words_));
  row_offsets_.push_back(row_offsets_.back() + row_words_.size());
}

void AnnotationSidecarWriter::finish() {
  SidecarHeader header{};
  header.seq_len = seq_len_;
  header.type_count = static_cast<std::uint32_t>(type_names_.size());
  header.rows = rows();
  header.type_names_offset = type_names_offset_;
  header.type_names_bytes = type_names_bytes_;
  header.chunk_words_offset = chunk_words_offset_;
  header.chunk_word_count = row_offsets_.back();
  header.row_offsets_offset = file_->begin_section();
  file_->write_array(std::span<const std::uint64_t>(row_offsets_));
  file_->finish(detail::bytes_of(header));
}

// ---- AnnotationSidecarReader ---------------------------------------------------------------

AnnotationSidecarReader::AnnotationSidecarReader(std::filesystem::path path, ChecksumCheck checksum)
    : file_(std::make_unique<detail::BinaryFileReader>(
          std::move(path), kKind, std::string_view(kMagic, 8), kAnnotationSidecarVersion,
          sizeof(SidecarHeader), checksum == ChecksumCheck::kVerify)) {
  SidecarHeader header{};
  file_->read_format_header(header);
  const std::uint64_t names_end =
      detail::section_end(header.type_names_offset, header.type_names_bytes, 1);
  const std::uint64_t words_end = detail::section_end(
      header.chunk_words_offset, header.chunk_word_count, sizeof(std::uint16_t));
  const std::uint64_t offsets_end = detail::section_end(
      header.row_offsets_offset, detail::section_end(1, header.rows, 1), sizeof(std::uint64_t));
  file_->require_size(std::max({names_end, words_end, offsets_end}),
                      "header says " + std::to_string(header.rows) + " rows");
  if (checksum == ChecksumCheck::kVerify) file_->verify_checksum();

  rows_ = header.rows;
  seq_len_ = header.seq_len;
  read_type_names(header.type_names_offset, header.type_names_bytes, header.type_count);
  words_ = file_->section<std::uint16_t>(header.chunk_words_offset, header.chunk_word_count);
  row_offsets_ = file_->section<std::uint64_t>(header.row_offsets_offset, rows_ + 1);
}

AnnotationSidecarReader::~AnnotationSidecarReader() = default;
AnnotationSidecarReader::AnnotationSidecarReader(AnnotationSidecarReader&&) noexcept = default;
AnnotationSidecarReader& AnnotationSidecarReader::operator=(AnnotationSidecarReader&&) noexcept =
    default;

const std::filesystem::path& AnnotationSidecarReader::path() const {
  return file_->path();
}

void AnnotationSidecarReader::read_type_names(std::uint64_t offset, std::uint64_t bytes,
                                              std::uint32_t count) {
  const auto table = file_->section<char>(offset, bytes);
  std::string_view rest(table.data(), table.size());
  while (!rest.empty()) {
    const std::size_t end = rest.find('\0');
    if (end == std::string_view::npos) break;
    type_names_.emplace_back(rest.substr(0, end));
    rest.remove_prefix(end + 1);
  }
  if (!rest.empty() || type_names_.size() != count) {
    file_->fail("corrupt chunk type table");
  }
}

std::vector<ChunkView> AnnotationSidecarReader::chunks(std::uint64_t row) const {
  if (row >= rows_) {
    throw std::out_of_range(path().string() + ": row " + std::to_string(row) + " of " +
                            std::to_string(rows_));
  }
  const std::uint64_t begin = row_offsets_[row];
  const std::uint64_t end = row_offsets_[row + 1];
  const auto corrupt = [&] { file_->fail("corrupt chunks at row " + std::to_string(row)); };
  if (begin > end || end > words_.size()) corrupt();
  std::vector<ChunkView> result;
  for (std::uint64_t at = begin; at < end;) {
    if (end - at < kChunkFixedWords) corrupt();
    ChunkView chunk{words_[at], words_[at + 1], words_[at + 2], {}};
    const std::uint16_t member_count = words_[at + 3];
    at += kChunkFixedWords;
    if (end - at < member_count || chunk.type >= type_names_.size()) corrupt();
    chunk.members = words_.subspan(at, member_count);
    at += member_count;
    result.push_back(chunk);
  }
  return result;
}

void AnnotationSidecarReader::check_matches(const TokenShardReader& shard) const {
  if (rows_ != shard.rows() || seq_len_ != shard.seq_len()) {
    throw UserError(path().string() + ": annotation sidecar holds " + std::to_string(rows_) +
                    " rows of " + std::to_string(seq_len_) + " tokens, but its token shard " +
                    shard.path().string() + " holds " + std::to_string(shard.rows()) + " rows of " +
                    std::to_string(shard.seq_len()) + " tokens");
  }
}

}  // namespace dac::text
