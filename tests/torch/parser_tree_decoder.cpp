// Tree decoding: the decoder's tree is valid, has one root child, and scores as high as the best
// such tree found by enumerating every head assignment of small sentences.
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "dac/parser/tree_decoder.hpp"

namespace {

using dac::parser::decode_tree;

bool is_single_rooted_tree(const std::vector<int>& heads) {
  const int n = static_cast<int>(heads.size());
  int root_children = 0;
  for (int d = 1; d < n; ++d) {
    if (heads[d] < 0 || heads[d] >= n || heads[d] == d) return false;
    root_children += heads[d] == 0;
    int node = d, steps = 0;
    while (node != 0 && steps++ <= n) node = heads[node];
    if (node != 0) return false;  // a cycle
  }
  return root_children == 1;
}

double tree_score(const std::vector<float>& scores, const std::vector<int>& heads) {
  const int n = static_cast<int>(heads.size());
  double total = 0;
  for (int d = 1; d < n; ++d) total += scores[d * n + heads[d]];
  return total;
}

double best_by_enumeration(const std::vector<float>& scores, int words) {
  const int n = words + 1;
  std::vector<int> heads(n, -1);
  double best = -1e30;
  std::function<void(int)> assign = [&](int d) {
    if (d == n) {
      if (is_single_rooted_tree(heads)) best = std::max(best, tree_score(scores, heads));
      return;
    }
    for (int h = 0; h < n; ++h)
      if (h != d) {
        heads[d] = h;
        assign(d + 1);
      }
  };
  assign(1);
  return best;
}

TEST(ParserTreeDecoder, FindsTheBestSingleRootedTree) {
  std::mt19937 random(7);
  std::normal_distribution<float> normal(0, 1);
  for (int trial = 0; trial < 300; ++trial) {
    const int words = 1 + trial % 6;
    const int n = words + 1;
    std::vector<float> scores(n * n);
    for (float& score : scores) score = normal(random);
    // Favour the root strongly on some trials, so several words want it.
    if (trial % 3 == 0)
      for (int d = 1; d < n; ++d) scores[d * n] += 3;
    const std::vector<int> heads = decode_tree(scores, words);
    ASSERT_TRUE(is_single_rooted_tree(heads)) << "trial " << trial;
    EXPECT_NEAR(tree_score(scores, heads), best_by_enumeration(scores, words), 1e-4)
        << "trial " << trial << " (" << words << " words)";
  }
}

TEST(ParserTreeDecoder, LongSentencesGiveTrees) {
  std::mt19937 random(3);
  std::uniform_real_distribution<float> uniform(-1, 1);
  for (int words : {30, 120}) {
    const int n = words + 1;
    std::vector<float> scores(n * n);
    for (float& score : scores) score = uniform(random);
    EXPECT_TRUE(is_single_rooted_tree(decode_tree(scores, words)));
  }
}

TEST(ParserTreeDecoder, RejectsAMatrixOfTheWrongSize) {
  std::vector<float> scores(5);
  EXPECT_THROW(decode_tree(scores, 3), std::invalid_argument);
}

}  // namespace
