// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3"), a counter-based
// generator: the same (key, counter) gives the same numbers on every machine, in any order.
#pragma once

#include <vector>

#include <utility>

#include <array>
#include <cstdint>

namespace dac::text {

using PhiloxCounter = std::array<std::uint32_t, 4>;
using PhiloxKey = std::array<std::uint32_t, 2>;

// The Philox4x32 block function with 10 rounds.
inline PhiloxCounter philox4x32_10(PhiloxCounter counter, PhiloxKey key) {
  constexpr std::uint64_t kMultiplier0 = 0xD2511F53;
  constexpr std::uint64_t kMultiplier1 = 0xCD9E8D57;
  constexpr std::uint32_t kWeyl0 = 0x9E3779B9;
  constexpr std::uint32_t kWeyl1 = 0xBB67AE85;
  for (int round = 0; round < 10; ++round) {
    if (round > 0) key = {key[0] + kWeyl0, key[1] + kWeyl1};
    const std::uint64_t product0 = kMultiplier0 * counter[0];
    const std::uint64_t product1 = kMultiplier1 * counter[2];
    counter = {static_cast<std::uint32_t>(product1 >> 32) ^ counter[1] ^ key[0],
               static_cast<std::uint32_t>(product1),
               static_cast<std::uint32_t>(product0 >> 32) ^ counter[3] ^ key[1],
               static_cast<std::uint32_t>(product0)};
  }
  return counter;
}

// A stream of 32-bit words: block b is philox4x32_10({b, c1, c2, c3}, key), four words a block.
class PhiloxStream {
 public:
  PhiloxStream(std::uint64_t key, std::uint32_t c1, std::uint32_t c2, std::uint32_t c3)
      : key_{static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32)},
        counter_{0, c1, c2, c3} {}

  std::uint32_t next_u32() {
    if (used_ == 4) refill();
    return block_[used_++];
  }

  // A uniform integer in [0, bound), bound > 0, without bias (Lemire's multiply-and-reject).
  std::uint32_t below(std::uint32_t bound) {
    std::uint64_t product = std::uint64_t{next_u32()} * bound;
    if (static_cast<std::uint32_t>(product) < bound) {
      const std::uint32_t threshold = (0u - bound) % bound;
      while (static_cast<std::uint32_t>(product) < threshold) {
        product = std::uint64_t{next_u32()} * bound;
      }
    }
    return static_cast<std::uint32_t>(product >> 32);
  }

 private:
  void refill() {
    block_ = philox4x32_10(counter_, key_);
    ++counter_[0];
    used_ = 0;
  }

  PhiloxKey key_;
  PhiloxCounter counter_;
  PhiloxCounter block_{};
  int used_ = 4;
};

// Shuffles `items` in place (Fisher-Yates, unbiased draws from `stream`): the same order on every
// machine for the same stream. At most 2^32 items.
template <class T>
void shuffle_with(PhiloxStream& stream, std::vector<T>& items) {
  for (std::size_t i = items.size(); i > 1; --i)
    std::swap(items[i - 1], items[stream.below(static_cast<std::uint32_t>(i))]);
}

}  // namespace dac::text
