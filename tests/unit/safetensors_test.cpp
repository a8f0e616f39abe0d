// Tests of the safetensors writer and reader: the exact byte layout, round trips, metadata, and
// the errors for malformed files and inconsistent tensors.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "dac/error.hpp"
#include "dac/json_reader.hpp"
#include "dac/safetensors.hpp"
#include "support/test_support.hpp"

namespace {

using dac::SafetensorsEntry;
using dac::UserError;
using dac::test::contains;
using dac::test::error_of;
using dac::test::read_file;
using dac::test::TempDir;
using dac::test::write_file;

std::string le64(std::uint64_t value) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(value >> (8 * i));
  return out;
}

std::uint64_t header_length(const std::string& file) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(file[i]);
  return value;
}

template <typename T>
SafetensorsEntry entry(std::string name, std::string dtype, std::vector<std::int64_t> shape,
                       const std::vector<T>& values) {
  return {std::move(name), std::move(dtype), std::move(shape), values.data(),
          values.size() * sizeof(T)};
}

// A file made by hand: header length, header text, data bytes.
std::string handmade(const std::string& header, const std::string& data) {
  return le64(header.size()) + header + data;
}

TEST(Safetensors, ExactByteLayout) {
  TempDir dir;
  const std::vector<float> weight = {1.0f, -2.0f};
  const std::vector<std::int64_t> ids = {7};
  // Data in the given order (weight first); the header lists the names sorted.
  dac::write_safetensors(dir / "small.safetensors",
                         {entry("weight", "F32", {2}, weight), entry("ids", "I64", {1}, ids)});

  const std::string header = R"({"ids":{"dtype":"I64","shape":[1],"data_offsets":[8,16]},)"
                             R"("weight":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  ASSERT_EQ(header.size(), 115u);
  const std::string expected = std::string("\x78\0\0\0\0\0\0\0", 8) + header + "     " +
                               std::string("\x00\x00\x80\x3f\x00\x00\x00\xc0", 8) +
                               std::string("\x07\0\0\0\0\0\0\0", 8);
  const std::string actual = read_file(dir / "small.safetensors");
  EXPECT_EQ(actual, expected);
  EXPECT_EQ(header_length(actual), 120u);

  // The header is valid JSON with the names in sorted order.
  const dac::JsonValue parsed = dac::parse_json(actual.substr(8, 120));
  ASSERT_TRUE(parsed.is_object());
  ASSERT_EQ(parsed.members().size(), 2u);
  EXPECT_EQ(parsed.members()[0].first, "ids");
  EXPECT_EQ(parsed.members()[1].first, "weight");
}

TEST(Safetensors, RoundTrip) {
  TempDir dir;
  const std::vector<float> matrix = {0.5f, 1.5f, -3.25f, 4.0f, 1e-8f, 6.0f};
  const std::vector<std::int64_t> positions = {0, 1, 2, -9000000000};
  const std::vector<std::uint16_t> half = {0x3f80, 0xc000};  // BF16 1.0, -2.0
  const auto path = dir / "model.safetensors";
  dac::write_safetensors(
      path, {entry("encoder.layer.0.weight", "F32", {2, 3}, matrix),
             entry("positions", "I64", {4}, positions), entry("bias", "BF16", {2}, half)});

  const dac::SafetensorsFile file = dac::read_safetensors(path);
  ASSERT_EQ(file.tensors.size(), 3u);
  EXPECT_TRUE(file.metadata.empty());
  EXPECT_EQ(file.data.size(), 24u + 32u + 4u);

  const auto& m = file.tensors.at("encoder.layer.0.weight");
  EXPECT_EQ(m.dtype, "F32");
  EXPECT_EQ(m.shape, (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(m.begin, 0u);
  EXPECT_EQ(m.end, 24u);
  std::vector<float> matrix_back(6);
  std::memcpy(matrix_back.data(), file.data.data() + m.begin, m.end - m.begin);
  EXPECT_EQ(matrix_back, matrix);

  // Offsets are contiguous in the order the tensors were given.
  const auto& p = file.tensors.at("positions");
  EXPECT_EQ(p.dtype, "I64");
  EXPECT_EQ(p.begin, 24u);
  EXPECT_EQ(p.end, 56u);
  std::vector<std::int64_t> positions_back(4);
  std::memcpy(positions_back.data(), file.data.data() + p.begin, p.end - p.begin);
  EXPECT_EQ(positions_back, positions);

  const auto& b = file.tensors.at("bias");
  EXPECT_EQ(b.dtype, "BF16");
  EXPECT_EQ(b.begin, 56u);
  EXPECT_EQ(b.end, 60u);
  std::vector<std::uint16_t> half_back(2);
  std::memcpy(half_back.data(), file.data.data() + b.begin, 4);
  EXPECT_EQ(half_back, half);
}

TEST(Safetensors, HeaderPaddedToEightBytes) {
  TempDir dir;
  const std::vector<float> value = {3.0f};
  for (std::string name : {"a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh"}) {
    const auto path = dir / (name + ".safetensors");
    dac::write_safetensors(path, {entry(name, "F32", {}, value)});  // a scalar
    const std::string bytes = read_file(path);
    const std::uint64_t length = header_length(bytes);
    EXPECT_EQ(length % 8, 0u) << name;
    EXPECT_EQ(bytes.size(), 8 + length + 4) << name;
    const std::string header = bytes.substr(8, length);
    EXPECT_EQ(header.find_last_not_of(' '), header.find_last_of('}')) << name;
    EXPECT_EQ(dac::read_safetensors(path).tensors.at(name).shape.size(), 0u);
  }
}

TEST(Safetensors, EmptyFile) {
  TempDir dir;
  dac::write_safetensors(dir / "empty.safetensors", {});
  EXPECT_EQ(read_file(dir / "empty.safetensors"), le64(8) + "{}      ");
  const dac::SafetensorsFile file = dac::read_safetensors(dir / "empty.safetensors");
  EXPECT_TRUE(file.tensors.empty());
  EXPECT_TRUE(file.data.empty());
}

TEST(Safetensors, MetadataRoundTrip) {
  TempDir dir;
  const std::vector<float> value = {1.0f, 2.0f};
  const std::map<std::string, std::string> metadata = {
      {"format", "pt"}, {"note", "a \"quoted\" <value>\nwith a newline and \xc3\xa9"}};
  const auto path = dir / "meta.safetensors";
  dac::write_safetensors(path, {entry("x", "F32", {2}, value)}, metadata);

  const std::string bytes = read_file(path);
  EXPECT_EQ(bytes.substr(8, 17), R"({"__metadata__":{)");
  const dac::SafetensorsFile file = dac::read_safetensors(path);
  EXPECT_EQ(file.metadata, metadata);
  EXPECT_EQ(file.tensors.at("x").end, 8u);
}

TEST(Safetensors, WriterRejectsInconsistentTensors) {
  TempDir dir;
  const std::vector<float> three = {1, 2, 3};
  const auto path = dir / "bad.safetensors";
  const std::string wrong_bytes = error_of<std::invalid_argument>([&] {
    dac::write_safetensors(path, {entry("w", "F32", {2, 2}, three)});
  });
  EXPECT_PRED2(contains, wrong_bytes, "'w'");
  EXPECT_PRED2(contains, wrong_bytes, "12 bytes");
  EXPECT_PRED2(contains, wrong_bytes, "16");
  EXPECT_PRED2(contains, error_of<std::invalid_argument>([&] {
                 dac::write_safetensors(path, {entry("w", "F31", {3}, three)});
               }),
               "unknown dtype 'F31'");
  EXPECT_PRED2(contains, error_of<std::invalid_argument>([&] {
                 dac::write_safetensors(
                     path, {entry("w", "F32", {3}, three), entry("w", "F32", {3}, three)});
               }),
               "twice");
  EXPECT_PRED2(contains, error_of<std::invalid_argument>([&] {
                 dac::write_safetensors(path, {entry("w", "F32", {-3}, three)});
               }),
               "shape");
  EXPECT_FALSE(std::filesystem::exists(path));
}

// The UserError that reading `contents` as a safetensors file gives; it must name the file.
std::string read_error(const TempDir& dir, const std::string& contents) {
  const auto path = dir / "broken.safetensors";
  write_file(path, contents);
  const std::string message = error_of<UserError>([&] { dac::read_safetensors(path); });
  EXPECT_PRED2(contains, message, path.string());
  return message;
}

TEST(Safetensors, ReaderErrorsNameTheFile) {
  TempDir dir;
  const std::string good_header = R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  const std::string data(8, '\x01');

  EXPECT_PRED2(contains, read_error(dir, "abc"), "too short");
  EXPECT_PRED2(contains, read_error(dir, le64(1000) + "{}"), "header length 1000");
  // A file cut inside its data section: the offsets point past its end.
  EXPECT_PRED2(contains, read_error(dir, handmade(good_header, data.substr(0, 5))),
               "beyond the data section (5 bytes)");
  EXPECT_PRED2(
      contains,
      read_error(dir, handmade(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", data)),
      "end before they begin");
  EXPECT_PRED2(contains,
               read_error(dir, handmade(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                        R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
                                        data)),
               "overlap");
  EXPECT_PRED2(
      contains,
      read_error(dir, handmade(R"({"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", data)),
      "needs 12");
  EXPECT_PRED2(
      contains,
      read_error(dir, handmade(R"({"t":{"dtype":"Q8","shape":[8],"data_offsets":[0,8]}})", data)),
      "unknown dtype 'Q8'");
  EXPECT_PRED2(contains, read_error(dir, handmade(R"({"t":{"dtype":"F32",)", data)), "bad JSON");
  EXPECT_PRED2(contains, read_error(dir, handmade(R"([1, 2])", data)), "not an object");
  EXPECT_PRED2(contains, read_error(dir, handmade(R"({"t":{"dtype":"F32"}})", data)),
               "lacks dtype, shape or data_offsets");
  EXPECT_PRED2(contains, read_error(dir, handmade(R"({"__metadata__":{"k":1}})", "")),
               "metadata \"k\" is not a string");

  // The handmade good file reads.
  write_file(dir / "good.safetensors", handmade(good_header, data));
  EXPECT_EQ(dac::read_safetensors(dir / "good.safetensors").tensors.at("t").end, 8u);
}

TEST(Safetensors, MissingFileIsAUserError) {
  TempDir dir;
  EXPECT_PRED2(contains,
               error_of<UserError>([&] { dac::read_safetensors(dir / "absent.safetensors"); }),
               "absent.safetensors");
}

}  // namespace
