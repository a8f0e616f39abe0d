// Plumbing shared by dac_text's binary file formats (token shards, annotation sidecars): the
// common header, the 64-bit checksum, atomic writing (temp file + rename) and memory-mapped
// reading.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace dac::text::detail {

// The first bytes of every file: magic, format version, and the checksum of everything after this
// header (the format's own header and its sections).
struct CommonHeader {
  char magic[8];
  std::uint32_t version;
  std::uint32_t header_bytes;  // this header + the format's header; sections start at or after it
  std::uint64_t checksum;
  std::uint64_t reserved;
};
static_assert(sizeof(CommonHeader) == 32);

inline constexpr std::size_t kSectionAlignment = 8;

// XXH64 of `bytes` (seed 0).
std::uint64_t checksum64(std::span<const std::byte> bytes);

// `offset + count * width`, or UINT64_MAX when that overflows (a corrupt header).
std::uint64_t section_end(std::uint64_t offset, std::uint64_t count, std::uint64_t width);

template <typename T>
std::span<const std::byte> bytes_of(const T& value) {
  return std::as_bytes(std::span<const T, 1>(&value, 1));
}

// Writes `path` atomically: everything goes to a temp file beside it, which finish() completes
// (format header, checksum, common header), syncs and renames over `path`. A writer destroyed
// before finish() removes its temp file and leaves `path` untouched.
class BinaryFileWriter {
 public:
  BinaryFileWriter(std::filesystem::path path, std::string_view magic, std::uint32_t version,
                   std::size_t format_header_bytes);
  ~BinaryFileWriter();
  BinaryFileWriter(const BinaryFileWriter&) = delete;
  BinaryFileWriter& operator=(const BinaryFileWriter&) = delete;

  // Pads to kSectionAlignment and returns the file offset where the next section starts.
  std::uint64_t begin_section();
  void write(std::span<const std::byte> bytes);
  template <typename T>
  void write_array(std::span<const T> values) {
    write(std::as_bytes(values));
  }
  std::uint64_t offset() const { return offset_; }
  void finish(std::span<const std::byte> format_header);
  bool finished() const { return file_ == nullptr; }
  const std::filesystem::path& path() const { return path_; }

 private:
  [[noreturn]] void fail(const std::string& what) const;
  void write_at(std::uint64_t offset, std::span<const std::byte> bytes);

  std::filesystem::path path_;
  std::filesystem::path temp_path_;
  std::string magic_;
  std::uint32_t version_;
  std::size_t header_bytes_;
  std::FILE* file_ = nullptr;
  std::uint64_t offset_ = 0;
};

// A read-only memory map of a whole file; `populate` maps every page up front (faster when all of
// it will be read, as when verifying a checksum).
class MappedFile {
 public:
  explicit MappedFile(const std::filesystem::path& path, bool populate = false);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::span<const std::byte> bytes() const { return {data_, size_}; }

 private:
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

// Maps a file and checks its common header. `kind` names the format in messages ("a token shard").
// The format's reader then reads its own header, calls require_size() and verify_checksum().
// Every error is a dac::UserError whose message starts with the file's path.
class BinaryFileReader {
 public:
  BinaryFileReader(std::filesystem::path path, std::string_view kind, std::string_view magic,
                   std::uint32_t version, std::size_t format_header_bytes, bool populate);

  const std::filesystem::path& path() const { return path_; }
  std::uint64_t size() const { return file_.bytes().size(); }
  // Copies the format's header (which follows the common header) into `header`.
  template <typename Header>
  void read_format_header(Header& header) const {
    read_at(sizeof(CommonHeader), std::as_writable_bytes(std::span<Header, 1>(&header, 1)));
  }
  // "FILE: truncated: <claim>, file holds M bytes" when the file is shorter than `expected_bytes`
  // (what the header describes), and an error when it is longer.
  void require_size(std::uint64_t expected_bytes, const std::string& claim) const;
  // "FILE: checksum mismatch (file corrupt or truncated)".
  void verify_checksum() const;
  // The `count` elements of type T at `offset` (aligned, within the file: require_size() first).
  template <typename T>
  std::span<const T> section(std::uint64_t offset, std::uint64_t count) const {
    check_section(offset, count, sizeof(T), alignof(T));
    return {reinterpret_cast<const T*>(file_.bytes().data() + offset), count};
  }
  [[noreturn]] void fail(const std::string& what) const;

 private:
  void read_at(std::uint64_t offset, std::span<std::byte> out) const;
  void check_section(std::uint64_t offset, std::uint64_t count, std::size_t width,
                     std::size_t alignment) const;

  std::filesystem::path path_;
  MappedFile file_;
};

}  // namespace dac::text::detail
