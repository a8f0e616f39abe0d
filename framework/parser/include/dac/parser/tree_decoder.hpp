// Decoding a dependency tree from arc scores: the maximum spanning arborescence (Chu-Liu/Edmonds)
// with exactly one word attached to the root. No torch.
#pragma once

#include <span>
#include <vector>

namespace dac::parser {

// `scores` is (words+1) x (words+1), row-major: scores[d * (words+1) + h] is the score of node h
// (0 = the artificial root, 1..words = the words) being the head of word d. Returns the head node
// of each word (size words+1; entry 0 is -1): a tree rooted at node 0 with one root child.
std::vector<int> decode_tree(std::span<const float> scores, int words);

}  // namespace dac::parser
