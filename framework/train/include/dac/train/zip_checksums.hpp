// Checks the CRC-32 that every record of a ZIP archive carries. Torch's archives (checkpoints)
// are ZIP files of stored records whose reader does not check these sums, so without this a
// checkpoint damaged on disk or in a copy would load wrong numbers without a word.
#pragma once

#include <filesystem>

namespace dac::train {

// Reads the archive's central directory (ZIP64 included) and compares the CRC-32 of each stored
// record's bytes with the one recorded for it. Throws UserError naming `path` and the first
// record that differs, or what in the directory does not read. Compressed records (torch writes
// none) and records whose stored sum is 0 (written without sums) are not checked.
void verify_zip_checksums(const std::filesystem::path& path);

}  // namespace dac::train
