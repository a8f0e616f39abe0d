// The CRC-32 check of checkpoints: a damaged tensor in a real checkpoint is refused with the file
// and the record named, intact archives (torch's, and hand-built ones with a ZIP64 directory)
// pass, and a file that is no ZIP archive says so.
#include <gtest/gtest.h>
#include <torch/torch.h>
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>

#include "dac/error.hpp"
#include "dac/train/checkpoint.hpp"
#include "dac/train/zip_checksums.hpp"
#include "support/test_support.hpp"

namespace dac::train {
namespace {

namespace fs = std::filesystem;
using test::contains;

void put(std::string& out, std::uint64_t value, int width) {
  for (int i = 0; i < width; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

// A ZIP archive of one stored record, as torch writes them (sizes in the central directory only);
// with `zip64` the end of central directory is saturated and the real values sit in its ZIP64
// form, as in archives too large for 32-bit fields.
std::string one_record_zip(const std::string& name, const std::string& data, std::uint32_t crc,
                           bool zip64) {
  std::string out;
  put(out, 0x04034b50, 4);  // local header: version, flags, method, time, date, crc, sizes = 0
  put(out, 0, 2 + 2 + 2 + 2 + 2);
  put(out, 0, 4 + 4 + 4);
  put(out, name.size(), 2);
  put(out, 0, 2);
  out += name + data;
  const std::uint64_t directory = out.size();
  put(out, 0x02014b50, 4);
  put(out, 0, 2 + 2 + 2 + 2 + 2 + 2);  // versions, flags, method (stored), time, date
  put(out, crc, 4);
  put(out, data.size(), 4);
  put(out, data.size(), 4);
  put(out, name.size(), 2);
  put(out, 0, 2 + 2 + 2 + 2 + 4);  // extra, comment, disk, attributes
  put(out, 0, 4);                  // local header offset
  out += name;
  const std::uint64_t directory_size = out.size() - directory;
  if (zip64) {
    const std::uint64_t end64 = out.size();
    put(out, 0x06064b50, 4);
    put(out, 44, 8);
    put(out, 0, 2 + 2 + 4 + 4);
    put(out, 1, 8);
    put(out, 1, 8);
    put(out, directory_size, 8);
    put(out, directory, 8);
    put(out, 0x07064b50, 4);
    put(out, 0, 4);
    put(out, end64, 8);
    put(out, 1, 4);
  }
  put(out, 0x06054b50, 4);
  put(out, 0, 2 + 2);
  put(out, zip64 ? 0xFFFF : 1, 2);
  put(out, zip64 ? 0xFFFF : 1, 2);
  put(out, zip64 ? 0xFFFFFFFF : directory_size, 4);
  put(out, zip64 ? 0xFFFFFFFF : directory, 4);
  put(out, 0, 2);
  return out;
}

std::uint32_t crc_of(const std::string& data) {
  return static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0),
                                          reinterpret_cast<const Bytef*>(data.data()),
                                          static_cast<uInt>(data.size())));
}

TEST(ZipChecksums, IntactArchivesPassWithOrWithoutAZip64Directory) {
  test::TempDir dir;
  const std::string data = "the bytes of one tensor";
  for (bool zip64 : {false, true}) {
    const fs::path path = dir / (zip64 ? "zip64.zip" : "plain.zip");
    test::write_file(path, one_record_zip("archive/data/0", data, crc_of(data), zip64));
    EXPECT_NO_THROW(verify_zip_checksums(path)) << path;
  }
}

TEST(ZipChecksums, ARecordThatDiffersFromItsSumIsNamed) {
  test::TempDir dir;
  for (bool zip64 : {false, true}) {
    const fs::path path = dir / "wrong.zip";
    test::write_file(
        path, one_record_zip("archive/data/7", "changed bytes", crc_of("original bytes"), zip64));
    const std::string error = test::error_of<UserError>([&] { verify_zip_checksums(path); });
    EXPECT_PRED2(contains, error, path.string());
    EXPECT_PRED2(contains, error, "record 'archive/data/7' does not match its CRC-32");
  }
}

TEST(ZipChecksums, OnlyTheRecordsTheFilterAcceptsAreChecked) {
  test::TempDir dir;
  const fs::path path = dir / "wrong.zip";
  test::write_file(path, one_record_zip("archive/data/7", "changed", crc_of("original"), false));
  EXPECT_NO_THROW(verify_zip_checksums(
      path, [](const std::string& name) { return name.find("/data/") == std::string::npos; }));
  EXPECT_THROW(verify_zip_checksums(path, [](const std::string&) { return true; }), UserError);
}

TEST(ZipChecksums, RecordsWrittenWithoutSumsAreNotChecked) {
  test::TempDir dir;
  const fs::path path = dir / "no_sums.zip";
  test::write_file(path, one_record_zip("archive/data/0", "bytes", /*crc=*/0, /*zip64=*/false));
  EXPECT_NO_THROW(verify_zip_checksums(path));
}

TEST(ZipChecksums, AFileThatIsNoZipArchiveSaysSo) {
  test::TempDir dir;
  const fs::path path = dir / "text.pt";
  test::write_file(path, "just some text, long enough to be searched for a directory end");
  const std::string error = test::error_of<UserError>([&] { verify_zip_checksums(path); });
  EXPECT_PRED2(contains, error, "has no ZIP end of central directory");
  const fs::path short_file = dir / "short.pt";
  test::write_file(short_file, "PK");
  EXPECT_PRED2(contains, test::error_of<UserError>([&] { verify_zip_checksums(short_file); }),
               "too short to be a ZIP archive");
}

TEST(ZipChecksums, ADamagedTensorInACheckpointIsRefused) {
  test::TempDir dir;
  torch::nn::Linear model(8, 8);
  {
    torch::NoGradGuard no_grad;
    model->weight.fill_(1234.5f);  // a value whose bytes are easy to find in the file
  }
  const fs::path path = dir / "latest.ckpt";
  save_checkpoint(path, *model, nullptr, CheckpointMeta{});
  EXPECT_NO_THROW(verify_zip_checksums(path));
  EXPECT_NO_THROW(read_checkpoint_meta(path));

  std::string bytes = test::read_file(path);
  const float value = 1234.5f;
  std::string pattern(sizeof value, '\0');
  std::memcpy(pattern.data(), &value, sizeof value);
  const std::size_t at = bytes.find(pattern);
  ASSERT_NE(at, std::string::npos);
  bytes[at + 1] = static_cast<char>(bytes[at + 1] ^ 0x40);  // one bit of one weight
  test::write_file(path, bytes);

  // The meta records are intact: reading them alone (before building the model) still works.
  EXPECT_NO_THROW(read_checkpoint_meta(path));
  torch::nn::Linear other(8, 8);
  const std::string error =
      test::error_of<UserError>([&] { load_checkpoint(path, *other, nullptr); });
  EXPECT_PRED2(contains, error, path.string());
  EXPECT_PRED2(contains, error, "is damaged");
  EXPECT_PRED2(contains, error, "does not match its CRC-32");
}

}  // namespace
}  // namespace dac::train
