// Gold CoNLL-U treebanks from the synthetic generator (for training and scoring the built-in
// parser without a downloaded treebank).
#pragma once

#include <cstdint>
#include <filesystem>

#include "generator.hpp"

namespace dac::synthetic {

// Writes `sentences` sentences of documents first_document, first_document+1, ... (each
// `per_document` sentences long) with "# newdoc id", "# sent_id" and "# text" comments and
// SpaceAfter=No where the text has no space. Returns the number of words.
std::uint64_t write_treebank(const SyntheticGenerator& generator, const std::filesystem::path& path,
                             std::uint32_t first_document, std::uint64_t sentences,
                             std::uint32_t per_document);

}  // namespace dac::synthetic
