// The CRC-32 check of a ZIP archive's records: the end of central directory record (and its
// ZIP64 form), the central directory entries, each record's local header, then zlib's crc32
// over the record's bytes, read in blocks.
#include "dac/train/zip_checksums.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "dac/error.hpp"

namespace dac::train {

namespace {

constexpr std::uint32_t kEndOfDirectory = 0x06054b50;
constexpr std::uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr std::uint32_t kZip64Locator = 0x07064b50;
constexpr std::uint32_t kDirectoryEntry = 0x02014b50;
constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr std::uint16_t kZip64ExtraField = 0x0001;
constexpr std::size_t kEndOfDirectorySize = 22;
constexpr std::size_t kZip64LocatorSize = 20;
constexpr std::size_t kZip64EndOfDirectorySize = 56;
constexpr std::size_t kDirectoryEntrySize = 46;
constexpr std::size_t kLocalHeaderSize = 30;
constexpr std::size_t kMaxCommentSize = 0xFFFF;
constexpr std::uint16_t kStored = 0;

// Little-endian fields of a byte buffer, bounds-checked.
class Fields {
 public:
  Fields(const std::vector<unsigned char>& bytes, std::size_t at) : bytes_(bytes), at_(at) {}
  bool fits(std::size_t size) const { return at_ <= bytes_.size() && size <= bytes_.size() - at_; }
  std::uint64_t read(std::size_t offset, std::size_t width) const {
    std::uint64_t value = 0;
    for (std::size_t i = width; i-- > 0;) value = (value << 8) | bytes_[at_ + offset + i];
    return value;
  }
  std::uint16_t u16(std::size_t offset) const {
    return static_cast<std::uint16_t>(read(offset, 2));
  }
  std::uint32_t u32(std::size_t offset) const {
    return static_cast<std::uint32_t>(read(offset, 4));
  }
  std::uint64_t u64(std::size_t offset) const { return read(offset, 8); }

 private:
  const std::vector<unsigned char>& bytes_;
  std::size_t at_;
};

struct Record {
  std::string name;
  std::uint16_t method = 0;
  std::uint32_t crc = 0;
  std::uint64_t size = 0;  // bytes as stored
  std::uint64_t local_header = 0;
};

struct Directory {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::uint64_t entries = 0;
};

class ArchiveFile {
 public:
  explicit ArchiveFile(const std::filesystem::path& path)
      : path_(path), in_(path, std::ios::binary) {
    if (!in_) throw damaged("it cannot be opened");
    in_.seekg(0, std::ios::end);
    size_ = static_cast<std::uint64_t>(in_.tellg());
  }

  std::uint64_t size() const { return size_; }

  std::vector<unsigned char> read(std::uint64_t offset, std::uint64_t count) {
    require_within(offset, count);
    std::vector<unsigned char> bytes(count);
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(count));
    if (!in_) throw damaged("it could not be read");
    return bytes;
  }

  std::uint32_t crc_of(std::uint64_t offset, std::uint64_t count) {
    require_within(offset, count);
    in_.seekg(static_cast<std::streamoff>(offset));
    uLong crc = crc32(0L, Z_NULL, 0);
    while (count > 0) {
      const auto chunk =
          static_cast<std::streamsize>(std::min<std::uint64_t>(count, block_.size()));
      in_.read(block_.data(), chunk);
      if (!in_) throw damaged("it could not be read");
      crc = crc32(crc, reinterpret_cast<const Bytef*>(block_.data()), static_cast<uInt>(chunk));
      count -= static_cast<std::uint64_t>(chunk);
    }
    return static_cast<std::uint32_t>(crc);
  }

  UserError damaged(const std::string& what) const {
    return UserError(path_.string() + " is damaged: " + what +
                     " (the file was changed on disk or in a copy)");
  }

 private:
  void require_within(std::uint64_t offset, std::uint64_t count) const {
    if (offset > size_ || count > size_ - offset) throw damaged("a ZIP record lies past its end");
  }

  std::filesystem::path path_;
  std::ifstream in_;
  std::uint64_t size_ = 0;
  std::vector<char> block_ = std::vector<char>(std::size_t{1} << 22);  // crc_of's reads
};

// The central directory's place and size, from the end of central directory record (searched
// backwards over a possible comment) or, when that one's fields are saturated, its ZIP64 form.
Directory find_directory(ArchiveFile& file) {
  const std::uint64_t tail_size =
      std::min<std::uint64_t>(file.size(), kEndOfDirectorySize + kMaxCommentSize);
  const std::uint64_t tail_start = file.size() - tail_size;
  const std::vector<unsigned char> tail = file.read(tail_start, tail_size);
  if (tail.size() < kEndOfDirectorySize) throw file.damaged("it is too short to be a ZIP archive");
  for (std::size_t at = tail.size() - kEndOfDirectorySize + 1; at-- > 0;) {
    const Fields end(tail, at);
    if (end.u32(0) != kEndOfDirectory) continue;
    Directory directory{end.u32(16), end.u32(12), end.u16(10)};
    const bool saturated = directory.entries == 0xFFFF || directory.size == 0xFFFFFFFF ||
                           directory.offset == 0xFFFFFFFF;
    if (!saturated) return directory;
    if (at < kZip64LocatorSize) throw file.damaged("its ZIP64 locator is missing");
    const Fields locator(tail, at - kZip64LocatorSize);
    if (locator.u32(0) != kZip64Locator) throw file.damaged("its ZIP64 locator is missing");
    const std::vector<unsigned char> end64_bytes =
        file.read(locator.u64(8), kZip64EndOfDirectorySize);
    const Fields end64(end64_bytes, 0);
    if (end64.u32(0) != kZip64EndOfDirectory)
      throw file.damaged("its ZIP64 directory end is missing");
    return Directory{end64.u64(48), end64.u64(40), end64.u64(32)};
  }
  throw file.damaged("it has no ZIP end of central directory");
}

// The sizes and offset a ZIP64 extra field holds in place of the saturated 32-bit ones.
void apply_zip64_extra(const Fields& extra, std::size_t length, Record& record,
                       std::uint64_t& uncompressed, const ArchiveFile& file) {
  std::size_t at = 0;
  while (at + 4 <= length) {
    const std::uint16_t id = extra.u16(at);
    const std::uint16_t size = extra.u16(at + 2);
    if (at + 4 + size > length) break;
    if (id == kZip64ExtraField) {
      std::size_t field = at + 4;
      auto next = [&](std::uint64_t& value) {
        if (value != 0xFFFFFFFF) return;
        if (field + 8 > at + 4 + size)
          throw file.damaged("a ZIP64 field of '" + record.name + "' is short");
        value = extra.u64(field);
        field += 8;
      };
      next(uncompressed);
      next(record.size);
      next(record.local_header);
      return;
    }
    at += 4 + size;
  }
}

std::vector<Record> read_directory(ArchiveFile& file, const Directory& directory) {
  const std::vector<unsigned char> bytes = file.read(directory.offset, directory.size);
  std::vector<Record> records;
  std::size_t at = 0;
  for (std::uint64_t i = 0; i < directory.entries; ++i) {
    const Fields entry(bytes, at);
    if (!entry.fits(kDirectoryEntrySize) || entry.u32(0) != kDirectoryEntry)
      throw file.damaged("its ZIP central directory does not read");
    const std::size_t name_length = entry.u16(28);
    const std::size_t extra_length = entry.u16(30);
    const std::size_t comment_length = entry.u16(32);
    if (!entry.fits(kDirectoryEntrySize + name_length + extra_length + comment_length))
      throw file.damaged("its ZIP central directory does not read");
    Record record;
    record.name.assign(
        bytes.begin() + static_cast<std::ptrdiff_t>(at + kDirectoryEntrySize),
        bytes.begin() + static_cast<std::ptrdiff_t>(at + kDirectoryEntrySize + name_length));
    record.method = entry.u16(10);
    record.crc = entry.u32(16);
    record.size = entry.u32(20);
    std::uint64_t uncompressed = entry.u32(24);
    record.local_header = entry.u32(42);
    apply_zip64_extra(Fields(bytes, at + kDirectoryEntrySize + name_length), extra_length, record,
                      uncompressed, file);
    if (record.method == kStored && uncompressed != record.size)
      throw file.damaged("the sizes of record '" + record.name + "' disagree");
    records.push_back(std::move(record));
    at += kDirectoryEntrySize + name_length + extra_length + comment_length;
  }
  return records;
}

}  // namespace

void verify_zip_checksums(const std::filesystem::path& path, const ZipRecordFilter& wanted) {
  ArchiveFile file(path);
  for (const Record& record : read_directory(file, find_directory(file))) {
    // A writer told not to compute the sums (torch can be) leaves 0, which checks nothing.
    if (record.method != kStored || record.crc == 0) continue;
    if (wanted && !wanted(record.name)) continue;
    const std::vector<unsigned char> header_bytes =
        file.read(record.local_header, kLocalHeaderSize);
    const Fields header(header_bytes, 0);
    if (header.u32(0) != kLocalHeader)
      throw file.damaged("the header of record '" + record.name + "' is missing");
    const std::uint64_t data =
        record.local_header + kLocalHeaderSize + header.u16(26) + header.u16(28);
    if (file.crc_of(data, record.size) != record.crc)
      throw file.damaged("record '" + record.name + "' does not match its CRC-32");
  }
}

}  // namespace dac::train
