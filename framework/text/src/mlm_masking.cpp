// The Crammed BERT MLM masking recipe on Philox streams.
#include "dac/text/mlm_masking.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace dac::text {
namespace {

// floor(fraction · total), robust to products such as 0.29 · 100 = 28.999999999999996.
std::size_t floor_count(double fraction, std::size_t total) {
  return static_cast<std::size_t>(std::floor(fraction * static_cast<double>(total) + 1e-9));
}

// The ids excluded from random replacement that lie in [0, vocab_size), ascending and distinct:
// spec.never_random itself when already so, else a sorted copy kept in `storage`.
std::span<const std::int32_t> exclusions(const MaskingSpec& spec,
                                         std::vector<std::int32_t>& storage) {
  std::span<const std::int32_t> ids = spec.never_random;
  if (std::adjacent_find(ids.begin(), ids.end(), std::greater_equal<>()) != ids.end()) {
    storage.assign(ids.begin(), ids.end());
    std::sort(storage.begin(), storage.end());
    storage.erase(std::unique(storage.begin(), storage.end()), storage.end());
    ids = storage;
  }
  const auto first = std::lower_bound(ids.begin(), ids.end(), 0);
  const auto last = std::lower_bound(first, ids.end(), spec.vocab_size);
  return {first, last};
}

void check_spec(const MaskingSpec& spec, std::span<const std::int32_t> excluded) {
  const auto reject = [](const std::string& what) {
    throw std::invalid_argument("MLM masking: " + what);
  };
  const auto is_fraction = [](double value) { return value >= 0.0 && value <= 1.0; };
  if (!is_fraction(spec.rate) || !is_fraction(spec.random_fraction) ||
      !is_fraction(spec.keep_fraction)) {
    reject("rate, random_fraction and keep_fraction must lie in [0, 1]");
  }
  if (spec.random_fraction + spec.keep_fraction > 1.0) {
    reject("random_fraction + keep_fraction must not exceed 1");
  }
  if (spec.vocab_size <= 0) reject("vocab_size must be positive");
  if (spec.mask_id < 0 || spec.mask_id >= spec.vocab_size) reject("mask_id outside the vocabulary");
  if (excluded.size() >= static_cast<std::size_t>(spec.vocab_size)) {
    reject("never_random excludes every id of the vocabulary");
  }
}

// A uniform id of [0, vocab_size) outside `excluded` (ascending, distinct, in range): the r-th
// allowed id for a uniform r.
std::int32_t random_id(PhiloxStream& stream, std::int32_t vocab_size,
                       std::span<const std::int32_t> excluded) {
  auto id = static_cast<std::int32_t>(
      stream.below(static_cast<std::uint32_t>(vocab_size - static_cast<int>(excluded.size()))));
  for (const std::int32_t skipped : excluded) {
    if (skipped > id) break;
    ++id;
  }
  return id;
}

// Puts n distinct uniform positions of [0, length) in order drawn into the first n of `order`.
void choose_positions(PhiloxStream& stream, std::size_t n, std::vector<std::int32_t>& order) {
  std::iota(order.begin(), order.end(), 0);
  const auto length = static_cast<std::uint32_t>(order.size());
  for (std::uint32_t i = 0; i < n; ++i) {
    std::swap(order[i], order[i + stream.below(length - i)]);
  }
}

}  // namespace

MaskCounts mask_counts(const MaskingSpec& spec, std::size_t length) {
  MaskCounts counts;
  counts.selected = static_cast<std::size_t>(std::llround(spec.rate * static_cast<double>(length)));
  counts.selected = std::min(counts.selected, length);
  counts.random = floor_count(spec.random_fraction, counts.selected);
  counts.kept =
      std::min(floor_count(spec.keep_fraction, counts.selected), counts.selected - counts.random);
  counts.masked = counts.selected - counts.random - counts.kept;
  return counts;
}

void validate(const MaskingSpec& spec) {
  std::vector<std::int32_t> storage;
  check_spec(spec, exclusions(spec, storage));
}

PhiloxStream masking_stream(std::uint64_t seed, std::uint64_t step, std::uint64_t row) {
  if (step > kMaxMaskingStep || row > kMaxMaskingRow) {
    throw std::out_of_range("MLM masking: step or row index beyond the supported range");
  }
  const auto high_bits = static_cast<std::uint32_t>((row >> 32) | ((step >> 32) << 16));
  return PhiloxStream(seed, static_cast<std::uint32_t>(row), static_cast<std::uint32_t>(step),
                      high_bits);
}

std::size_t mask_row(std::span<const std::int32_t> ids, const MaskingSpec& spec, std::uint64_t seed,
                     std::uint64_t step, std::uint64_t row, std::span<std::int32_t> inputs_out,
                     std::span<std::int32_t> labels_out, std::span<std::int32_t> positions_out) {
  thread_local std::vector<std::int32_t> storage;
  thread_local std::vector<std::int32_t> order;
  const auto excluded = exclusions(spec, storage);
  check_spec(spec, excluded);
  const std::size_t length = ids.size();
  const MaskCounts counts = mask_counts(spec, length);
  if (inputs_out.size() != length || labels_out.size() != length ||
      (!positions_out.empty() && positions_out.size() < counts.selected) || length > INT32_MAX) {
    throw std::invalid_argument("MLM masking: output sizes do not match the row");
  }
  PhiloxStream stream = masking_stream(seed, step, row);
  order.resize(length);
  choose_positions(stream, counts.selected, order);

  std::copy(ids.begin(), ids.end(), inputs_out.begin());
  std::fill(labels_out.begin(), labels_out.end(), kIgnoreLabel);
  for (std::size_t k = 0; k < counts.selected; ++k) {
    const std::int32_t position = order[k];
    labels_out[position] = ids[position];
    if (k < counts.random) {
      inputs_out[position] = random_id(stream, spec.vocab_size, excluded);
    } else if (k >= counts.random + counts.kept) {
      inputs_out[position] = spec.mask_id;
    }
  }
  if (!positions_out.empty()) {
    const auto chosen = positions_out.first(counts.selected);
    std::copy_n(order.begin(), counts.selected, chosen.begin());
    std::sort(chosen.begin(), chosen.end());
  }
  return counts.selected;
}

}  // namespace dac::text
