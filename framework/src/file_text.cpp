// Reading a whole file into memory with an error that names it.
#include "dac/file_text.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "dac/error.hpp"

namespace dac {

std::string read_whole_file(const std::filesystem::path& path, const std::string& what) {
  const auto fail = [&](int error) {
    throw UserError("cannot read " + what + " '" + path.string() + "': " + std::strerror(error));
  };
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) fail(errno);
  std::string text;
  char buffer[1 << 16];
  std::size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, count);
  const bool failed = std::ferror(file) != 0;
  const int error = errno;
  std::fclose(file);
  if (failed) fail(error);
  return text;
}

}  // namespace dac
