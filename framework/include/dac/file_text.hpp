// Reading a whole file into memory with an error that names it.
#pragma once

#include <filesystem>
#include <string>

namespace dac {

// The file's bytes. A missing or unreadable file is a UserError: "cannot read <what> '<path>':
// <reason>" (`what` says what the file is, e.g. "config file").
std::string read_whole_file(const std::filesystem::path& path, const std::string& what = "file");

}  // namespace dac
