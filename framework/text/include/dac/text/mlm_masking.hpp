// The Crammed BERT MLM masking recipe, deterministic on every machine: the positions and random ids
// of a row come from a Philox stream keyed by (seed, step, row), so a row is masked afresh at each
// step and identically on every rerun.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "dac/text/philox.hpp"

namespace dac::text {

inline constexpr std::int32_t kIgnoreLabel = -100;
inline constexpr std::uint64_t kMaxMaskingStep = (std::uint64_t{1} << 47) - 1;
inline constexpr std::uint64_t kMaxMaskingRow = (std::uint64_t{1} << 48) - 1;

struct MaskingSpec {
  double rate = 0.25;            // fraction of the row chosen: n = round(rate · L)
  double random_fraction = 0.1;  // floor(random_fraction · n) chosen positions get a random id
  double keep_fraction = 0.1;    // floor(keep_fraction · n) keep their token
  std::int32_t mask_id = -1;     // the rest become mask_id (required)
  std::int32_t vocab_size = 0;   // required
  std::vector<std::int32_t> never_random;  // ids never drawn as random replacements (specials)
};

// How a row of `length` tokens is split (26/3/3 of 32 at L = 128 with the defaults).
struct MaskCounts {
  std::size_t selected = 0;
  std::size_t random = 0;
  std::size_t kept = 0;
  std::size_t masked = 0;
};
MaskCounts mask_counts(const MaskingSpec& spec, std::size_t length);

// Throws std::invalid_argument when the spec cannot be applied (rates outside [0, 1], random + keep
// above 1, mask_id or vocab_size out of range, every id excluded from random replacement).
void validate(const MaskingSpec& spec);

// The stream of (seed, step, row): key = seed, counter = {block, row low 32 bits, step low 32 bits,
// row bits 32..47 | step bits 32..46 << 16}. step ≤ kMaxMaskingStep, row ≤ kMaxMaskingRow.
PhiloxStream masking_stream(std::uint64_t seed, std::uint64_t step, std::uint64_t row);

// Masks one row. Chooses n = round(rate · L) distinct positions uniformly (partial Fisher–Yates);
// in the order drawn, the first floor(random_fraction · n) get a uniform id from [0, vocab_size)
// outside never_random, the next floor(keep_fraction · n) keep their token, the rest get mask_id.
// inputs_out receives the masked row, labels_out the original id at chosen positions and
// kIgnoreLabel elsewhere (both of size L). When positions_out is not empty (size ≥ n), its first
// n entries receive the chosen positions in ascending order. Returns n.
std::size_t mask_row(std::span<const std::int32_t> ids, const MaskingSpec& spec, std::uint64_t seed,
                     std::uint64_t step, std::uint64_t row, std::span<std::int32_t> inputs_out,
                     std::span<std::int32_t> labels_out,
                     std::span<std::int32_t> positions_out = {});

}  // namespace dac::text
