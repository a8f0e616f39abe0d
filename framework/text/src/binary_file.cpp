// Plumbing shared by dac_text's binary file formats: checksum, atomic writer, mapped reader.
#include "binary_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <bit>
#include <cerrno>
#include <cstring>
#include <limits>
#include <vector>

#include "dac/error.hpp"

namespace dac::text::detail {
namespace {

constexpr std::uint64_t kPrime1 = 11400714785074694791ULL;
constexpr std::uint64_t kPrime2 = 14029467366897019727ULL;
constexpr std::uint64_t kPrime3 = 1609587929392839161ULL;
constexpr std::uint64_t kPrime4 = 9650029242287828579ULL;
constexpr std::uint64_t kPrime5 = 2870177450012600261ULL;

template <typename T>
T load(const std::byte* at) {
  T value;
  std::memcpy(&value, at, sizeof(T));
  return value;  // little-endian hosts only (the file formats are little-endian)
}

std::uint64_t xxh_round(std::uint64_t acc, std::uint64_t input) {
  return std::rotl(acc + input * kPrime2, 31) * kPrime1;
}

std::uint64_t xxh_merge(std::uint64_t acc, std::uint64_t lane) {
  return (acc ^ xxh_round(0, lane)) * kPrime1 + kPrime4;
}

// Hashes the 32-byte stripes of `data`; returns the number of bytes consumed.
std::size_t xxh_stripes(const std::byte* data, std::size_t size, std::uint64_t& hash) {
  std::uint64_t lanes[4] = {kPrime1 + kPrime2, kPrime2, 0, 0 - kPrime1};
  std::size_t at = 0;
  for (; at + 32 <= size; at += 32) {
    for (int lane = 0; lane < 4; ++lane) {
      lanes[lane] = xxh_round(lanes[lane], load<std::uint64_t>(data + at + 8 * lane));
    }
  }
  hash = std::rotl(lanes[0], 1) + std::rotl(lanes[1], 7) + std::rotl(lanes[2], 12) +
         std::rotl(lanes[3], 18);
  for (const std::uint64_t lane : lanes) hash = xxh_merge(hash, lane);
  return at;
}

std::string errno_text() {
  return std::strerror(errno);
}

std::filesystem::path temp_path_for(const std::filesystem::path& path) {
  static std::atomic<unsigned> counter{0};
  return path.string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

}  // namespace

std::uint64_t checksum64(std::span<const std::byte> bytes) {
  const std::byte* data = bytes.data();
  const std::size_t size = bytes.size();
  std::uint64_t hash = kPrime5;
  std::size_t at = 0;
  if (size >= 32) at = xxh_stripes(data, size, hash);
  hash += size;
  for (; at + 8 <= size; at += 8) {
    hash = std::rotl(hash ^ xxh_round(0, load<std::uint64_t>(data + at)), 27) * kPrime1 + kPrime4;
  }
  if (at + 4 <= size) {
    hash = std::rotl(hash ^ (load<std::uint32_t>(data + at) * kPrime1), 23) * kPrime2 + kPrime3;
    at += 4;
  }
  for (; at < size; ++at) {
    hash = std::rotl(hash ^ (static_cast<std::uint64_t>(data[at]) * kPrime5), 11) * kPrime1;
  }
  hash = (hash ^ (hash >> 33)) * kPrime2;
  hash = (hash ^ (hash >> 29)) * kPrime3;
  return hash ^ (hash >> 32);
}

std::uint64_t section_end(std::uint64_t offset, std::uint64_t count, std::uint64_t width) {
  std::uint64_t length = 0;
  std::uint64_t end = 0;
  if (__builtin_mul_overflow(count, width, &length) ||
      __builtin_add_overflow(offset, length, &end)) {
    return std::numeric_limits<std::uint64_t>::max();
  }
  return end;
}

// ---- BinaryFileWriter ----------------------------------------------------------------------

BinaryFileWriter::BinaryFileWriter(std::filesystem::path path, std::string_view magic,
                                   std::uint32_t version, std::size_t format_header_bytes)
    : path_(std::move(path)),
      temp_path_(temp_path_for(path_)),
      magic_(magic),
      version_(version),
      header_bytes_(sizeof(CommonHeader) + format_header_bytes) {
  file_ = std::fopen(temp_path_.c_str(), "wb");
  if (file_ == nullptr) fail("cannot create " + temp_path_.string() + ": " + errno_text());
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  const std::vector<std::byte> placeholder(header_bytes_);
  write(placeholder);
}

BinaryFileWriter::~BinaryFileWriter() {
  if (file_ == nullptr) return;
  std::fclose(file_);
  std::error_code ignored;
  std::filesystem::remove(temp_path_, ignored);
}

std::uint64_t BinaryFileWriter::begin_section() {
  static constexpr std::byte kZeros[kSectionAlignment] = {};
  const std::size_t padding = (kSectionAlignment - offset_ % kSectionAlignment) % kSectionAlignment;
  write(std::span(kZeros, padding));
  return offset_;
}

void BinaryFileWriter::write(std::span<const std::byte> bytes) {
  if (file_ == nullptr) fail("written after finish()");
  if (bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    fail("write failed: " + errno_text());
  }
  offset_ += bytes.size();
}

void BinaryFileWriter::write_at(std::uint64_t offset, std::span<const std::byte> bytes) {
  if (::pwrite(::fileno(file_), bytes.data(), bytes.size(), static_cast<off_t>(offset)) !=
      static_cast<ssize_t>(bytes.size())) {
    fail("write failed: " + errno_text());
  }
}

void BinaryFileWriter::finish(std::span<const std::byte> format_header) {
  if (file_ == nullptr) fail("finish() called twice");
  if (sizeof(CommonHeader) + format_header.size() != header_bytes_) fail("wrong header size");
  if (std::fflush(file_) != 0) fail("write failed: " + errno_text());
  write_at(sizeof(CommonHeader), format_header);
  CommonHeader common{};
  std::memcpy(common.magic, magic_.data(), sizeof(common.magic));
  common.version = version_;
  common.header_bytes = static_cast<std::uint32_t>(header_bytes_);
  {
    const MappedFile written(temp_path_, /*populate=*/true);
    common.checksum = checksum64(written.bytes().subspan(sizeof(CommonHeader)));
  }
  write_at(0, bytes_of(common));
  const bool synced = ::fsync(::fileno(file_)) == 0;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  std::error_code error;
  if (synced && closed) std::filesystem::rename(temp_path_, path_, error);
  if (!synced || !closed || error) {
    const std::string reason = error ? error.message() : errno_text();
    std::filesystem::remove(temp_path_, error);
    fail("cannot complete the file: " + reason);
  }
}

void BinaryFileWriter::fail(const std::string& what) const {
  throw UserError(path_.string() + ": " + what);
}

// ---- MappedFile ----------------------------------------------------------------------------

MappedFile::MappedFile(const std::filesystem::path& path, bool populate) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw UserError(path.string() + ": cannot open: " + errno_text());
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const std::string reason = errno_text();
    ::close(fd);
    throw UserError(path.string() + ": cannot read: " + reason);
  }
  size_ = static_cast<std::size_t>(info.st_size);
  if (size_ > 0) {
    const int flags = MAP_SHARED | (populate ? MAP_POPULATE : 0);
    void* mapped = ::mmap(nullptr, size_, PROT_READ, flags, fd, 0);
    if (mapped == MAP_FAILED) {
      const std::string reason = errno_text();
      ::close(fd);
      throw UserError(path.string() + ": cannot map: " + reason);
    }
    data_ = static_cast<const std::byte*>(mapped);
  }
  ::close(fd);
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(const_cast<std::byte*>(data_), size_);
}

// ---- BinaryFileReader ----------------------------------------------------------------------

BinaryFileReader::BinaryFileReader(std::filesystem::path path, std::string_view kind,
                                   std::string_view magic, std::uint32_t version,
                                   std::size_t format_header_bytes, bool populate)
    : path_(std::move(path)), file_(path_, populate) {
  const auto bytes = file_.bytes();
  const std::string not_this = "not " + std::string(kind);
  if (bytes.size() < sizeof(CommonHeader::magic) ||
      std::memcmp(bytes.data(), magic.data(), sizeof(CommonHeader::magic)) != 0) {
    fail(not_this + " (bad magic)");
  }
  if (bytes.size() < sizeof(CommonHeader)) {
    fail("truncated: " + std::to_string(bytes.size()) + " bytes, shorter than the header");
  }
  const auto common = load<CommonHeader>(bytes.data());
  if (common.version != version) {
    fail("format version " + std::to_string(common.version) + ", this dacrun reads version " +
         std::to_string(version));
  }
  const std::size_t header_bytes = sizeof(CommonHeader) + format_header_bytes;
  if (common.header_bytes != header_bytes) {
    fail("corrupt header (header size " + std::to_string(common.header_bytes) + ", expected " +
         std::to_string(header_bytes) + ")");
  }
  if (bytes.size() < header_bytes) {
    fail("truncated: " + std::to_string(bytes.size()) + " bytes, shorter than the header");
  }
}

void BinaryFileReader::require_size(std::uint64_t expected_bytes, const std::string& claim) const {
  if (size() < expected_bytes) {
    fail("truncated: " + claim + ", file holds " + std::to_string(size()) + " bytes");
  }
  if (size() > expected_bytes) {
    fail("corrupt: " + claim + " (" + std::to_string(expected_bytes) + " bytes), file holds " +
         std::to_string(size()) + " bytes");
  }
}

void BinaryFileReader::verify_checksum() const {
  const auto stored = load<CommonHeader>(file_.bytes().data()).checksum;
  if (checksum64(file_.bytes().subspan(sizeof(CommonHeader))) != stored) {
    fail("checksum mismatch (file corrupt or truncated)");
  }
}

void BinaryFileReader::read_at(std::uint64_t offset, std::span<std::byte> out) const {
  if (section_end(offset, out.size(), 1) > size()) fail("truncated header");
  std::memcpy(out.data(), file_.bytes().data() + offset, out.size());
}

void BinaryFileReader::check_section(std::uint64_t offset, std::uint64_t count, std::size_t width,
                                     std::size_t alignment) const {
  if (offset % alignment != 0 || section_end(offset, count, width) > size()) {
    fail("corrupt header (a section lies outside the file)");
  }
}

void BinaryFileReader::fail(const std::string& what) const {
  throw UserError(path_.string() + ": " + what);
}

}  // namespace dac::text::detail
