// Writing and reading the safetensors format (https://github.com/huggingface/safetensors): an
// 8-byte little-endian header length, a JSON header {"name": {"dtype", "shape", "data_offsets"},
// "__metadata__": {string: string}}, then the tensors' bytes back to back.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace dac {

struct SafetensorsEntry {
  std::string name;
  std::string dtype;  // "F32", "BF16", "F16", "I64", "I32", ...
  std::vector<std::int64_t> shape;
  const void* data = nullptr;  // shape's element count × dtype size bytes
  std::size_t bytes = 0;
};

// Writes the file atomically (temp file + rename). Entries keep their order in the data section;
// the header lists them sorted by name as the reference writer does. Throws std::runtime_error
// on I/O failure and std::invalid_argument when bytes does not match shape and dtype.
void write_safetensors(const std::filesystem::path& path,
                       const std::vector<SafetensorsEntry>& entries,
                       const std::map<std::string, std::string>& metadata = {});

struct SafetensorsTensorInfo {
  std::string dtype;
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0, end = 0;  // byte offsets within the data section
};
struct SafetensorsFile {
  std::map<std::string, SafetensorsTensorInfo> tensors;
  std::map<std::string, std::string> metadata;
  std::vector<std::uint8_t> data;  // the data section
};
// Reads a whole file; a UserError naming the file when it is not valid safetensors.
SafetensorsFile read_safetensors(const std::filesystem::path& path);

}  // namespace dac
