// Streaming line reader over plain, gzip (zlib, multi-member) and zstd (streaming API) files.
#include "dac/text/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "dac/error.hpp"

namespace dac::text {

// Decompresses one file block by block. A truncated or corrupt stream is a UserError naming the
// file and what is wrong; gzip files may hold several members (as `cat a.gz b.gz` makes).
class Decoder {
 public:
  virtual ~Decoder() = default;
  // Writes up to `capacity` decompressed bytes to `out`; returns how many, 0 only at the end.
  virtual std::size_t read(char* out, std::size_t capacity) = 0;
};

namespace {

constexpr std::size_t kInputBlockBytes = std::size_t{1} << 20;
constexpr std::size_t kLineBufferBytes = std::size_t{1} << 20;
constexpr std::size_t kMaxLineBytes = std::size_t{1} << 30;

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw UserError(path.string() + ": " + what);
}

// An open file descriptor, closed on destruction.
class FileHandle {
 public:
  explicit FileHandle(const std::filesystem::path& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) fail(path, std::string("cannot open: ") + std::strerror(errno));
    struct stat info {};
    if (::fstat(fd_, &info) != 0) fail(path, std::string("cannot stat: ") + std::strerror(errno));
    if (S_ISDIR(info.st_mode)) fail(path, "is a folder, not a file");
    size_ = static_cast<std::uint64_t>(info.st_size);
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  ~FileHandle() { ::close(fd_); }
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;

  // Reads up to `capacity` bytes; 0 only at the end of the file.
  std::size_t read(char* out, std::size_t capacity) {
    for (;;) {
      const ssize_t n = ::read(fd_, out, capacity);
      if (n >= 0) {
        consumed_ += static_cast<std::uint64_t>(n);
        return static_cast<std::size_t>(n);
      }
      if (errno != EINTR) fail(path_, std::string("read error: ") + std::strerror(errno));
    }
  }

  // The first bytes of the file, without moving the read position.
  std::string peek(std::size_t count) {
    std::string bytes(count, '\0');
    const ssize_t n = ::pread(fd_, bytes.data(), count, 0);
    bytes.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return bytes;
  }

  const std::filesystem::path& path() const { return path_; }
  std::uint64_t size() const { return size_; }
  std::uint64_t consumed() const { return consumed_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::uint64_t consumed_ = 0;
};

Compression compression_of_magic(std::string_view head) {
  if (head.starts_with("\x1f\x8b")) return Compression::kGzip;
  if (head.starts_with("\x28\xb5\x2f\xfd")) return Compression::kZstd;
  return Compression::kNone;
}

class PlainDecoder final : public Decoder {
 public:
  explicit PlainDecoder(std::unique_ptr<FileHandle> file) : file_(std::move(file)) {}
  std::size_t read(char* out, std::size_t capacity) override { return file_->read(out, capacity); }

 private:
  std::unique_ptr<FileHandle> file_;
};

// Compressed input read from the file in blocks, shared by the gzip and zstd decoders.
struct InputBlock {
  explicit InputBlock(std::unique_ptr<FileHandle> file)
      : file_(std::move(file)), bytes_(kInputBlockBytes) {}
  // Reads the next block when the current one is used up; false at the end of the file.
  bool fill() {
    size_ = file_->read(bytes_.data(), bytes_.size());
    position_ = 0;
    return size_ > 0;
  }
  bool empty() const { return position_ == size_; }
  FileHandle& file() { return *file_; }

  std::unique_ptr<FileHandle> file_;
  std::vector<char> bytes_;
  std::size_t size_ = 0;
  std::size_t position_ = 0;  // first unused byte
};

class GzipDecoder final : public Decoder {
 public:
  explicit GzipDecoder(std::unique_ptr<FileHandle> file) : input_(std::move(file)) {
    // 15 + 16: a gzip header and trailer around a deflate stream with a 32 KiB window.
    if (inflateInit2(&stream_, 15 + 16) != Z_OK) fail(input_.file().path(), "zlib init failed");
  }
  ~GzipDecoder() override { inflateEnd(&stream_); }

  std::size_t read(char* out, std::size_t capacity) override {
    stream_.next_out = reinterpret_cast<Bytef*>(out);
    stream_.avail_out = static_cast<uInt>(std::min<std::size_t>(capacity, 1u << 30));
    const uInt available = stream_.avail_out;
    while (stream_.avail_out == available) {
      if (member_done_ && !start_next_member()) break;
      if (stream_.avail_in == 0 && !output_was_full_ && !fill()) throw_truncated();
      const int status = inflate(&stream_, Z_NO_FLUSH);
      output_was_full_ = stream_.avail_out == 0;
      if (status == Z_STREAM_END) {
        member_done_ = true;
      } else if (status != Z_OK && status != Z_BUF_ERROR) {
        const std::string reason = stream_.msg != nullptr ? stream_.msg : zError(status);
        fail(input_.file().path(), "corrupt gzip data: " + reason);
      }
    }
    decompressed_ += available - stream_.avail_out;
    return available - stream_.avail_out;
  }

 private:
  bool fill() {
    if (!input_.fill()) return false;
    stream_.next_in = reinterpret_cast<Bytef*>(input_.bytes_.data());
    stream_.avail_in = static_cast<uInt>(input_.size_);
    return true;
  }

  // After a member ends: another member follows, or only zero padding up to the end of the file.
  bool start_next_member() {
    for (;;) {
      while (stream_.avail_in > 0 && *stream_.next_in == 0) ++stream_.next_in, --stream_.avail_in;
      if (stream_.avail_in > 0) break;
      if (!fill()) return false;
    }
    inflateReset(&stream_);
    member_done_ = false;
    return true;
  }

  [[noreturn]] void throw_truncated() {
    fail(input_.file().path(),
         "truncated gzip stream after " + std::to_string(input_.file().consumed()) + " bytes (" +
             std::to_string(decompressed_) + " bytes decompressed); the file is incomplete");
  }

  InputBlock input_;
  z_stream stream_{};
  bool member_done_ = false;
  bool output_was_full_ = false;
  std::uint64_t decompressed_ = 0;
};

class ZstdDecoder final : public Decoder {
 public:
  explicit ZstdDecoder(std::unique_ptr<FileHandle> file)
      : input_(std::move(file)), stream_(ZSTD_createDStream()) {
    if (stream_ == nullptr) fail(input_.file().path(), "zstd init failed");
    // Accept frames made with --long (windows up to 2 GiB); memory is only taken when needed.
    ZSTD_DCtx_setParameter(stream_, ZSTD_d_windowLogMax, 31);
  }
  ~ZstdDecoder() override { ZSTD_freeDStream(stream_); }

  std::size_t read(char* out, std::size_t capacity) override {
    ZSTD_outBuffer output{out, capacity, 0};
    while (output.pos == 0) {
      if (input_.empty() && !output_was_full_ && !input_.fill()) {
        if (frame_open_) {
          fail(input_.file().path(), "truncated zstd stream after " +
                                         std::to_string(input_.file().consumed()) +
                                         " bytes; the file is incomplete");
        }
        break;
      }
      ZSTD_inBuffer input{input_.bytes_.data(), input_.size_, input_.position_};
      const std::size_t status = ZSTD_decompressStream(stream_, &output, &input);
      input_.position_ = input.pos;
      if (ZSTD_isError(status)) {
        fail(input_.file().path(), std::string("corrupt zstd data: ") + ZSTD_getErrorName(status));
      }
      frame_open_ = status != 0;
      output_was_full_ = output.pos == output.size;
    }
    return output.pos;
  }

 private:
  InputBlock input_;
  ZSTD_DStream* stream_;
  bool frame_open_ = false;
  bool output_was_full_ = false;
};

std::unique_ptr<Decoder> make_decoder(std::unique_ptr<FileHandle> file, Compression compression) {
  switch (compression) {
    case Compression::kGzip:
      return std::make_unique<GzipDecoder>(std::move(file));
    case Compression::kZstd:
      return std::make_unique<ZstdDecoder>(std::move(file));
    case Compression::kNone:
      break;
  }
  return std::make_unique<PlainDecoder>(std::move(file));
}

}  // namespace

std::string_view compression_name(Compression compression) {
  switch (compression) {
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
    case Compression::kNone:
      break;
  }
  return "plain";
}

Compression detect_compression(const std::filesystem::path& path) {
  FileHandle file(path);
  return compression_of_magic(file.peek(4));
}

InputFile::InputFile(std::filesystem::path path) : path_(std::move(path)) {
  auto file = std::make_unique<FileHandle>(path_);
  file_bytes_ = file->size();
  compression_ = compression_of_magic(file->peek(4));
  decoder_ = make_decoder(std::move(file), compression_);
  buffer_.resize(kLineBufferBytes);
}

InputFile::~InputFile() = default;

std::string InputFile::where() const {
  return path_.string() + ":" + std::to_string(line_number_);
}

bool InputFile::next_line(std::string_view& line) {
  for (;;) {
    const char* base = buffer_.data();
    const std::size_t pending = end_ - begin_;
    const void* newline = std::memchr(base + begin_ + scanned_, '\n', pending - scanned_);
    std::size_t length;
    if (newline != nullptr) {
      length = static_cast<std::size_t>(static_cast<const char*>(newline) - base) - begin_;
    } else {
      scanned_ = pending;
      if (refill()) continue;
      if (pending == 0) return false;
      length = pending;  // the last line, without a final newline
    }
    std::size_t size = length;
    if (size > 0 && base[begin_ + size - 1] == '\r') --size;
    line = std::string_view(base + begin_, size);
    if (line_number_ == 0 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    begin_ = std::min(begin_ + length + 1, end_);
    scanned_ = 0;
    ++line_number_;
    return true;
  }
}

bool InputFile::refill() {
  if (at_end_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) {
    if (buffer_.size() >= kMaxLineBytes) {
      fail(path_, "line " + std::to_string(line_number_ + 1) + " is longer than " +
                      std::to_string(kMaxLineBytes) + " bytes");
    }
    buffer_.resize(buffer_.size() * 2);
  }
  const std::size_t count = decoder_->read(buffer_.data() + end_, buffer_.size() - end_);
  if (count == 0) {
    at_end_ = true;
    return false;
  }
  end_ += count;
  return true;
}

}  // namespace dac::text
