// The safetensors format: a writer that streams tensors into a temporary file renamed into place,
// and a reader that checks the header against the data section.
#include "dac/safetensors.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <stdexcept>

#include "dac/config.hpp"
#include "dac/error.hpp"
#include "dac/json_reader.hpp"
#include "dac/summary.hpp"

namespace fs = std::filesystem;

namespace dac {
namespace {

constexpr std::string_view kMetadataKey = "__metadata__";

// Bytes per element of a dtype, or nullopt when unknown.
std::optional<std::uint64_t> dtype_size(std::string_view dtype) {
  struct Size {
    std::string_view name;
    std::uint64_t bytes;
  };
  static constexpr Size kSizes[] = {{"F64", 8}, {"F32", 4}, {"F16", 2}, {"BF16", 2}, {"I64", 8},
                                    {"I32", 4}, {"I16", 2}, {"I8", 1},  {"U8", 1},   {"BOOL", 1}};
  for (const Size& size : kSizes)
    if (size.name == dtype) return size.bytes;
  return std::nullopt;
}

// The byte count of a tensor, or nullopt when a dimension is negative or it overflows.
std::optional<std::uint64_t> tensor_bytes(const std::vector<std::int64_t>& shape,
                                          std::uint64_t element_size) {
  std::uint64_t bytes = element_size;
  for (std::int64_t dim : shape) {
    if (dim < 0) return std::nullopt;
    const auto d = static_cast<std::uint64_t>(dim);
    if (d != 0 && bytes > std::numeric_limits<std::uint64_t>::max() / d) return std::nullopt;
    bytes *= d;
  }
  return bytes;
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) out += (i ? "," : "") + std::to_string(shape[i]);
  return out + "]";
}

void check_entries(const std::vector<SafetensorsEntry>& entries) {
  std::set<std::string_view> names;
  for (const SafetensorsEntry& entry : entries) {
    auto fail = [&](const std::string& what) {
      throw std::invalid_argument("safetensors tensor '" + entry.name + "': " + what);
    };
    if (entry.name.empty()) fail("the name is empty");
    if (entry.name == kMetadataKey) fail("the name is reserved for metadata");
    if (!names.insert(entry.name).second) fail("the name appears twice");
    const auto element_size = dtype_size(entry.dtype);
    if (!element_size) fail("unknown dtype '" + entry.dtype + "'");
    const auto bytes = tensor_bytes(entry.shape, *element_size);
    if (!bytes) fail("invalid shape " + shape_text(entry.shape));
    if (*bytes != entry.bytes)
      fail(std::to_string(entry.bytes) + " bytes given, but shape " + shape_text(entry.shape) +
           " of " + entry.dtype + " needs " + std::to_string(*bytes));
    if (entry.bytes > 0 && entry.data == nullptr) fail("no data");
  }
}

// The JSON header: metadata first (as the reference writer does), then the tensors sorted by
// name, padded with spaces to a multiple of 8 bytes so the data section is aligned.
std::string header_json(const std::vector<SafetensorsEntry>& entries,
                        const std::map<std::string, std::string>& metadata) {
  std::vector<std::uint64_t> begins;
  std::uint64_t offset = 0;
  for (const SafetensorsEntry& entry : entries) {
    begins.push_back(offset);
    offset += entry.bytes;
  }
  std::vector<std::size_t> order(entries.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return entries[a].name < entries[b].name; });

  std::string json = "{";
  if (!metadata.empty()) {
    json += json_quote(kMetadataKey) + ":{";
    bool first = true;
    for (const auto& [key, value] : metadata) {
      if (!first) json += ",";
      first = false;
      json += json_quote(key) + ":" + json_quote(value);
    }
    json += "}";
  }
  for (std::size_t i : order) {
    const SafetensorsEntry& entry = entries[i];
    if (json.size() > 1) json += ",";
    json += json_quote(entry.name) + ":{\"dtype\":" + json_quote(entry.dtype) +
            ",\"shape\":" + shape_text(entry.shape) + ",\"data_offsets\":[" +
            std::to_string(begins[i]) + "," + std::to_string(begins[i] + entry.bytes) + "]}";
  }
  json += "}";
  json.append((8 - json.size() % 8) % 8, ' ');
  return json;
}

std::string little_endian_u64(std::uint64_t value) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((value >> (8 * i)) & 0xFF);
  return out;
}

// --- reading ---------------------------------------------------------------------------------

class HeaderReader {
 public:
  HeaderReader(const fs::path& path, std::uint64_t data_size)
      : path_(path), data_size_(data_size) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw UserError("'" + path_.string() + "' is not a valid safetensors file: " + what);
  }

  void read(const JsonValue& header, SafetensorsFile& file) const {
    if (!header.is_object())
      fail(std::string("the header is a JSON ") + header.type_name() + ", not an object");
    for (const auto& [name, value] : header.members()) {
      if (name == kMetadataKey) {
        read_metadata(value, file.metadata);
      } else {
        file.tensors.emplace(name, read_tensor(name, value));
      }
    }
    check_overlaps(file.tensors);
  }

 private:
  void read_metadata(const JsonValue& value, std::map<std::string, std::string>& metadata) const {
    if (value.is_null()) return;
    if (!value.is_object()) fail("\"__metadata__\" is not an object");
    for (const auto& [key, text] : value.members()) {
      if (!text.is_string()) fail("metadata \"" + key + "\" is not a string");
      metadata[key] = text.as_string();
    }
  }

  std::int64_t non_negative_int(const JsonValue& value, const std::string& what) const {
    if (value.type() != JsonValue::Type::Int || value.as_int() < 0)
      fail(what + " is not a non-negative integer");
    return value.as_int();
  }

  SafetensorsTensorInfo read_tensor(const std::string& name, const JsonValue& value) const {
    const std::string where = "tensor \"" + name + "\"";
    if (!value.is_object()) fail(where + " is not an object");
    const JsonValue* dtype = value.find("dtype");
    const JsonValue* shape = value.find("shape");
    const JsonValue* offsets = value.find("data_offsets");
    if (!dtype || !shape || !offsets) fail(where + " lacks dtype, shape or data_offsets");

    SafetensorsTensorInfo info;
    if (!dtype->is_string()) fail(where + ": dtype is not a string");
    info.dtype = dtype->as_string();
    const auto element_size = dtype_size(info.dtype);
    if (!element_size) fail(where + ": unknown dtype '" + info.dtype + "'");
    if (!shape->is_array()) fail(where + ": shape is not an array");
    for (const JsonValue& dim : shape->items())
      info.shape.push_back(non_negative_int(dim, where + ": a shape dimension"));
    if (!offsets->is_array() || offsets->items().size() != 2)
      fail(where + ": data_offsets is not a pair [begin, end]");
    info.begin = static_cast<std::uint64_t>(non_negative_int(offsets->items()[0], where));
    info.end = static_cast<std::uint64_t>(non_negative_int(offsets->items()[1], where));
    const std::string range =
        "data_offsets [" + std::to_string(info.begin) + ", " + std::to_string(info.end) + "]";
    if (info.end < info.begin) fail(where + ": " + range + " end before they begin");
    if (info.end > data_size_)
      fail(where + ": " + range + " go beyond the data section (" + std::to_string(data_size_) +
           " bytes)");
    const auto bytes = tensor_bytes(info.shape, *element_size);
    if (!bytes || *bytes != info.end - info.begin)
      fail(where + ": " + range + " hold " + std::to_string(info.end - info.begin) +
           " bytes, but shape " + shape_text(info.shape) + " of " + info.dtype + " needs " +
           (bytes ? std::to_string(*bytes) : std::string("more than 2^64")));
    return info;
  }

  void check_overlaps(const std::map<std::string, SafetensorsTensorInfo>& tensors) const {
    std::vector<std::pair<const std::string*, const SafetensorsTensorInfo*>> sorted;
    for (const auto& [name, info] : tensors)
      if (info.end > info.begin) sorted.emplace_back(&name, &info);
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.second->begin < b.second->begin; });
    for (std::size_t i = 1; i < sorted.size(); ++i)
      if (sorted[i].second->begin < sorted[i - 1].second->end)
        fail("the data of tensors \"" + *sorted[i - 1].first + "\" and \"" + *sorted[i].first +
             "\" overlap");
  }

  const fs::path& path_;
  std::uint64_t data_size_;
};

}  // namespace

void write_safetensors(const fs::path& path, const std::vector<SafetensorsEntry>& entries,
                       const std::map<std::string, std::string>& metadata) {
  check_entries(entries);
  const std::string header = header_json(entries, metadata);

  write_file_atomically(path, [&](std::ostream& out) {
    out << little_endian_u64(header.size()) << header;
    for (const SafetensorsEntry& entry : entries)
      out.write(static_cast<const char*>(entry.data), static_cast<std::streamsize>(entry.bytes));
  });
}

SafetensorsFile read_safetensors(const fs::path& path) {
  auto fail = [&](const std::string& what) {
    return UserError("'" + path.string() + "' is not a valid safetensors file: " + what);
  };
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError("cannot read '" + path.string() + "': " + std::strerror(errno));
  in.seekg(0, std::ios::end);
  const std::streamoff end = in.tellg();
  if (end < 0) throw UserError("cannot read '" + path.string() + "': cannot find its size");
  const auto file_size = static_cast<std::uint64_t>(end);
  in.seekg(0);

  if (file_size < 8)
    throw fail("the file has " + std::to_string(file_size) +
               " bytes, too short for the 8-byte header length");
  unsigned char length_bytes[8];
  in.read(reinterpret_cast<char*>(length_bytes), 8);
  std::uint64_t header_size = 0;
  for (int i = 7; i >= 0; --i) header_size = (header_size << 8) | length_bytes[i];
  if (header_size > file_size - 8)
    throw fail("the header length " + std::to_string(header_size) +
               " goes beyond the end of the file (" + std::to_string(file_size) + " bytes)");

  std::string header_text(header_size, '\0');
  in.read(header_text.data(), static_cast<std::streamsize>(header_size));
  SafetensorsFile file;
  file.data.resize(file_size - 8 - header_size);
  in.read(reinterpret_cast<char*>(file.data.data()),
          static_cast<std::streamsize>(file.data.size()));
  if (!in) throw UserError("cannot read '" + path.string() + "': " + std::strerror(errno));

  JsonValue header;
  try {
    header = parse_json(header_text);
  } catch (const JsonError& error) {
    throw fail(std::string("bad JSON header: ") + error.what());
  }
  HeaderReader(path, file.data.size()).read(header, file);
  return file;
}

}  // namespace dac
