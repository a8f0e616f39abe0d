// MLM masking: Philox known answers, the exact 26/3/3 split and other rates, labels, random ids
// that are never special, determinism per (seed, step, row), and roughly uniform choices.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "dac/text/mlm_masking.hpp"
#include "dac/text/philox.hpp"

namespace {

using dac::text::kIgnoreLabel;
using dac::text::mask_counts;
using dac::text::mask_row;
using dac::text::MaskingSpec;
using dac::text::philox4x32_10;
using dac::text::PhiloxCounter;

constexpr std::int32_t kMask = 4;
const std::vector<std::int32_t> kSpecials = {0, 1, 2, 3, 4};  // [PAD] [UNK] [CLS] [SEP] [MASK]

MaskingSpec crammed_spec() {
  MaskingSpec spec;
  spec.mask_id = kMask;
  spec.vocab_size = 32768;
  spec.never_random = kSpecials;
  return spec;
}

std::vector<std::int32_t> sample_row(std::size_t length) {
  std::vector<std::int32_t> ids(length);
  for (std::size_t i = 0; i < length; ++i) ids[i] = static_cast<std::int32_t>(100 + 37 * i);
  return ids;
}

struct Masked {
  std::vector<std::int32_t> inputs, labels, positions;
  bool operator==(const Masked&) const = default;
};

Masked mask(const std::vector<std::int32_t>& ids, const MaskingSpec& spec, std::uint64_t seed,
            std::uint64_t step, std::uint64_t row) {
  Masked out{std::vector<std::int32_t>(ids.size()), std::vector<std::int32_t>(ids.size()),
             std::vector<std::int32_t>(ids.size())};
  const std::size_t n = mask_row(ids, spec, seed, step, row, out.inputs, out.labels, out.positions);
  out.positions.resize(n);
  return out;
}

TEST(Philox, Random123KnownAnswers) {
  EXPECT_EQ(philox4x32_10({0, 0, 0, 0}, {0, 0}),
            (PhiloxCounter{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}));
  EXPECT_EQ(philox4x32_10({~0u, ~0u, ~0u, ~0u}, {~0u, ~0u}),
            (PhiloxCounter{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}));
  EXPECT_EQ(
      philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}),
      (PhiloxCounter{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
}

TEST(Philox, StreamWalksTheCounter) {
  dac::text::PhiloxStream stream(0, 0, 0, 0);
  const PhiloxCounter first = philox4x32_10({0, 0, 0, 0}, {0, 0});
  const PhiloxCounter second = philox4x32_10({1, 0, 0, 0}, {0, 0});
  for (const std::uint32_t word : first) EXPECT_EQ(stream.next_u32(), word);
  for (const std::uint32_t word : second) EXPECT_EQ(stream.next_u32(), word);
}

TEST(Philox, BelowIsInRangeAndCoversIt) {
  dac::text::PhiloxStream stream(42, 1, 2, 3);
  std::vector<int> seen(7, 0);
  for (int i = 0; i < 7000; ++i) {
    const std::uint32_t value = stream.below(7);
    ASSERT_LT(value, 7u);
    ++seen[value];
  }
  for (const int count : seen) EXPECT_NEAR(count, 1000, 150);
  EXPECT_EQ(stream.below(1), 0u);
}

TEST(MlmMasking, CrammedCountsAt128) {
  const auto counts = mask_counts(crammed_spec(), 128);
  EXPECT_EQ(counts.selected, 32u);
  EXPECT_EQ(counts.masked, 26u);
  EXPECT_EQ(counts.random, 3u);
  EXPECT_EQ(counts.kept, 3u);
}

TEST(MlmMasking, CountsForOtherLengthsAndRates) {
  MaskingSpec spec = crammed_spec();
  spec.rate = 0.15;
  auto counts = mask_counts(spec, 512);  // round(76.8) = 77, floor(7.7) = 7
  EXPECT_EQ(counts.selected, 77u);
  EXPECT_EQ(counts.random, 7u);
  EXPECT_EQ(counts.kept, 7u);
  EXPECT_EQ(counts.masked, 63u);
  spec.rate = 0.25;
  counts = mask_counts(spec, 10);  // round(2.5) = 3, floor(0.3) = 0
  EXPECT_EQ(counts.selected, 3u);
  EXPECT_EQ(counts.masked, 3u);
  spec.rate = 1.0;
  spec.random_fraction = 0.29;  // 0.29 · 100 is 28.999999999999996 in doubles
  spec.keep_fraction = 0.0;
  counts = mask_counts(spec, 100);
  EXPECT_EQ(counts.random, 29u);
  EXPECT_EQ(counts.masked, 71u);
}

// With a row of [PAD] (never a random replacement), every category is told apart exactly.
TEST(MlmMasking, ExactSplitInEveryRow) {
  for (const auto& [length, rate] : std::vector<std::pair<std::size_t, double>>{
           {128, 0.25}, {512, 0.15}, {64, 0.5}, {7, 0.25}, {128, 1.0}, {128, 0.0}}) {
    MaskingSpec spec = crammed_spec();
    spec.rate = rate;
    const auto counts = mask_counts(spec, length);
    const std::vector<std::int32_t> pads(length, 0);
    for (std::uint64_t row = 0; row < 200; ++row) {
      const Masked out = mask(pads, spec, 7, 3, row);
      std::size_t masked = 0, kept = 0, random = 0, labelled = 0;
      for (std::size_t i = 0; i < length; ++i) {
        if (out.labels[i] == kIgnoreLabel) {
          EXPECT_EQ(out.inputs[i], 0);
          continue;
        }
        ++labelled;
        EXPECT_EQ(out.labels[i], 0);
        masked += out.inputs[i] == kMask;
        kept += out.inputs[i] == 0;
        random += out.inputs[i] > kMask;
      }
      ASSERT_EQ(labelled, counts.selected) << length << " " << rate;
      ASSERT_EQ(masked, counts.masked);
      ASSERT_EQ(kept, counts.kept);
      ASSERT_EQ(random, counts.random);
    }
  }
}

TEST(MlmMasking, LabelsAndPositions) {
  const auto ids = sample_row(128);
  const Masked out = mask(ids, crammed_spec(), 1, 2, 3);
  ASSERT_EQ(out.positions.size(), 32u);
  EXPECT_TRUE(std::is_sorted(out.positions.begin(), out.positions.end()));
  std::vector<std::int32_t> labelled;
  for (std::int32_t i = 0; i < 128; ++i) {
    if (out.labels[i] == kIgnoreLabel) {
      EXPECT_EQ(out.inputs[i], ids[i]);
    } else {
      EXPECT_EQ(out.labels[i], ids[i]);
      labelled.push_back(i);
    }
  }
  EXPECT_EQ(labelled, out.positions);
}

TEST(MlmMasking, RandomIdsAreNeverSpecial) {
  MaskingSpec spec = crammed_spec();
  spec.vocab_size = 12;
  spec.rate = 1.0;
  spec.random_fraction = 1.0;
  spec.keep_fraction = 0.0;
  spec.never_random = {11, 4, 0, 3, 2, 1, 4, -5, 99};  // unsorted, repeated, out of range
  std::map<std::int32_t, int> drawn;
  for (std::uint64_t row = 0; row < 100; ++row) {
    for (const std::int32_t id : mask(sample_row(64), spec, 9, 0, row).inputs) ++drawn[id];
  }
  ASSERT_EQ(drawn.size(), 6u);  // ids 5..10, each about 6400 / 6 times
  for (const auto& [id, count] : drawn) {
    EXPECT_GE(id, 5);
    EXPECT_LE(id, 10);
    EXPECT_NEAR(count, 6400 / 6, 150);
  }
}

TEST(MlmMasking, DeterministicPerSeedStepAndRow) {
  const auto ids = sample_row(128);
  const MaskingSpec spec = crammed_spec();
  const Masked reference = mask(ids, spec, 5, 10, 20);
  EXPECT_EQ(mask(ids, spec, 5, 10, 20), reference);
  EXPECT_NE(mask(ids, spec, 6, 10, 20).positions, reference.positions);
  EXPECT_NE(mask(ids, spec, 5, 11, 20).positions, reference.positions);
  EXPECT_NE(mask(ids, spec, 5, 10, 21).positions, reference.positions);
  EXPECT_NE(mask(ids, spec, 5, std::uint64_t{1} << 40, 20).positions, reference.positions);
  EXPECT_NE(mask(ids, spec, 5, 10, (std::uint64_t{1} << 40) + 20).positions, reference.positions);
}

// Pinned output: a change to the stream layout or the draw order would change every mask a run
// draws, and with it the reproducibility of earlier runs.
TEST(MlmMasking, StableAcrossBuilds) {
  MaskingSpec spec = crammed_spec();
  spec.random_fraction = 0.25;
  spec.keep_fraction = 0.25;
  const Masked out = mask(sample_row(16), spec, 0, 0, 0);
  EXPECT_EQ(out.positions, (std::vector<std::int32_t>{6, 10, 12, 14}));
  EXPECT_EQ(out.inputs, (std::vector<std::int32_t>{100, 137, 174, 211, 248, 285, 31858, 359, 396,
                                                   433, kMask, 507, kMask, 581, 618, 655}));
}

TEST(MlmMasking, PositionsAreRoughlyUniform) {
  const auto ids = sample_row(128);
  std::vector<int> chosen(128, 0);
  constexpr int kRows = 8000;
  for (std::uint64_t row = 0; row < kRows; ++row) {
    for (const std::int32_t position : mask(ids, crammed_spec(), 3, 0, row).positions) {
      ++chosen[position];
    }
  }
  for (const int count : chosen) EXPECT_NEAR(count, kRows / 4, 200);  // sd ≈ 39
}

TEST(MlmMasking, RejectsUnusableSpecs) {
  const auto ids = sample_row(16);
  std::vector<std::int32_t> inputs(16), labels(16);
  const auto rejects = [&](auto change) {
    MaskingSpec spec = crammed_spec();
    change(spec);
    EXPECT_THROW(dac::text::validate(spec), std::invalid_argument);
    EXPECT_THROW(mask_row(ids, spec, 0, 0, 0, inputs, labels), std::invalid_argument);
  };
  rejects([](MaskingSpec& spec) { spec.rate = 1.5; });
  rejects([](MaskingSpec& spec) { spec.random_fraction = 0.6, spec.keep_fraction = 0.6; });
  rejects([](MaskingSpec& spec) { spec.mask_id = -1; });
  rejects([](MaskingSpec& spec) { spec.vocab_size = 0; });
  rejects([](MaskingSpec& spec) { spec.vocab_size = 5; });  // every id is special
  std::vector<std::int32_t> short_labels(15);
  EXPECT_THROW(mask_row(ids, crammed_spec(), 0, 0, 0, inputs, short_labels), std::invalid_argument);
  EXPECT_THROW(mask_row(ids, crammed_spec(), 0, std::uint64_t{1} << 47, 0, inputs, labels),
               std::out_of_range);
}

}  // namespace
