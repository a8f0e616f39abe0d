// The cache of one split's agreement chunks, a small text file: a header (what it was made from,
// as a fingerprint, and the agreement types), then one line per chunk. A file made from other
// inputs reads as absent, so it is rebuilt.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "dac/finetune/glue_agreements.hpp"

namespace dac::finetune {

// The cached chunks when `path` exists and was written with this fingerprint for this many
// examples; std::nullopt otherwise. A malformed chunk line is a UserError naming file and line.
std::optional<SplitAgreements> read_agreement_cache(const std::filesystem::path& path,
                                                    const std::string& fingerprint,
                                                    std::size_t examples);

// Writes the chunks atomically (the folder is created when missing). `max_length` is recorded
// for readers.
void write_agreement_cache(const std::filesystem::path& path, const SplitAgreements& chunks,
                           const std::string& fingerprint, std::size_t max_length);

}  // namespace dac::finetune
