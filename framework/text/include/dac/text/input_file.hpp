// Streaming line reader over a plain, gzip or zstd file; the compression is recognised by the
// file's magic bytes. Reads in large blocks, so memory stays bounded whatever the file's size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dac::text {

enum class Compression { kNone, kGzip, kZstd };

// "plain", "gzip" or "zstd".
std::string_view compression_name(Compression compression);

// The compression of a file, from its first bytes (gzip 1f 8b, zstd 28 b5 2f fd); kNone for
// anything else, including files shorter than a magic number. Throws UserError when unreadable.
Compression detect_compression(const std::filesystem::path& path);

class Decoder;  // plain, gzip or zstd bytes, block by block (defined in input_file.cpp)

// Reads lines: "\n" or "\r\n" ends a line (the terminator is not part of it), a final line
// without a newline is still a line, and a UTF-8 byte order mark at the start is dropped.
class InputFile {
 public:
  // Opens `path`; a missing or unreadable file is a UserError.
  explicit InputFile(std::filesystem::path path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // Sets `line` to the next line and returns true, or returns false at the end of the file. The
  // view stays valid until the next call.
  bool next_line(std::string_view& line);

  // 1-based number of the line last returned (0 before the first).
  std::uint64_t line_number() const { return line_number_; }
  // "PATH:LINE" for error messages about the line last returned.
  std::string where() const;
  const std::filesystem::path& path() const { return path_; }
  Compression compression() const { return compression_; }
  // Size of the file on disk, compressed or not.
  std::uint64_t file_bytes() const { return file_bytes_; }

 private:
  bool refill();  // reads more decompressed bytes after the pending ones; false at the end

  std::filesystem::path path_;
  Compression compression_ = Compression::kNone;
  std::uint64_t file_bytes_ = 0;
  std::unique_ptr<Decoder> decoder_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;    // first byte of the next line
  std::size_t end_ = 0;      // end of the decompressed bytes in buffer_
  std::size_t scanned_ = 0;  // bytes from begin_ already known to hold no '\n'
  bool at_end_ = false;
  std::uint64_t line_number_ = 0;
};

}  // namespace dac::text
