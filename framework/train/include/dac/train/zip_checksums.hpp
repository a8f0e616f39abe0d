// Checks the CRC-32 that every record of a ZIP archive carries. Torch's archives (checkpoints)
// are ZIP files of stored records whose reader does not check these sums, so without this a
// checkpoint damaged on disk or in a copy would load wrong numbers without a word.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace dac::train {

// Reads the archive's central directory (ZIP64 included) and compares the CRC-32 of each stored
// record's bytes with the one recorded for it. Throws UserError naming `path` and the first
// record that differs, or what in the directory does not read. Compressed records (torch writes
// none) and records whose stored sum is 0 (written without sums) are not checked; with `wanted`,
// only the records whose names it accepts are.
using ZipRecordFilter = std::function<bool(const std::string& name)>;
void verify_zip_checksums(const std::filesystem::path& path, const ZipRecordFilter& wanted = {});

}  // namespace dac::train
