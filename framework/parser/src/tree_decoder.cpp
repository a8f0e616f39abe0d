// Chu-Liu/Edmonds maximum spanning arborescence with a single root child.
#include "dac/parser/tree_decoder.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace dac::parser {

namespace {

constexpr double kNoArc = -std::numeric_limits<double>::infinity();

// Dense score matrix over nodes 0..n-1 (0 is the root); score(d, h) for h != d.
struct Graph {
  int n = 0;
  std::vector<double> score;  // n x n, score[d * n + h]
  double& at(int d, int h) { return score[static_cast<std::size_t>(d) * n + h]; }
  double at(int d, int h) const { return score[static_cast<std::size_t>(d) * n + h]; }
};

std::vector<int> best_heads(const Graph& graph) {
  std::vector<int> heads(graph.n, -1);
  for (int d = 1; d < graph.n; ++d) {
    double best = kNoArc;
    for (int h = 0; h < graph.n; ++h)
      if (h != d && (heads[d] < 0 || graph.at(d, h) > best)) {
        best = graph.at(d, h);
        heads[d] = h;
      }
  }
  return heads;
}

// The nodes of one cycle among `heads`, or empty when there is none.
std::vector<int> find_cycle(const std::vector<int>& heads) {
  const int n = static_cast<int>(heads.size());
  std::vector<int> state(n, 0);  // 0 unvisited, 1 on the current path, 2 done
  for (int start = 1; start < n; ++start) {
    if (state[start]) continue;
    std::vector<int> path;
    int node = start;
    while (node > 0 && state[node] == 0) {
      state[node] = 1;
      path.push_back(node);
      node = heads[node];
    }
    if (node > 0 && state[node] == 1) {
      std::vector<int> cycle;
      for (auto it = std::find(path.begin(), path.end(), node); it != path.end(); ++it)
        cycle.push_back(*it);
      return cycle;
    }
    for (int visited : path) state[visited] = 2;
  }
  return {};
}

std::vector<int> chu_liu_edmonds(const Graph& graph) {
  std::vector<int> heads = best_heads(graph);
  const std::vector<int> cycle = find_cycle(heads);
  if (cycle.empty()) return heads;

  // Contract the cycle into one node: outside nodes keep their order, the cycle node comes last.
  const int n = graph.n;
  std::vector<char> in_cycle(n, 0);
  for (int node : cycle) in_cycle[node] = 1;
  std::vector<int> new_index(n, -1), old_index;
  for (int node = 0; node < n; ++node)
    if (!in_cycle[node]) {
      new_index[node] = static_cast<int>(old_index.size());
      old_index.push_back(node);
    }
  const int contracted = static_cast<int>(old_index.size());
  Graph smaller{contracted + 1, std::vector<double>((contracted + 1) * (contracted + 1), kNoArc)};
  double cycle_score = 0;
  for (int node : cycle) cycle_score += graph.at(node, heads[node]);
  // For arcs entering the cycle: which cycle node they enter; leaving it: which node they leave.
  std::vector<int> enters(contracted, -1), leaves(contracted, -1);
  for (int d = 0; d < contracted; ++d) {
    const int old_d = old_index[d];
    for (int h = 0; h < contracted; ++h)
      if (h != d && old_d != 0) smaller.at(d, h) = graph.at(old_d, old_index[h]);
    if (old_d == 0) continue;
    // The cycle as the head of an outside word: its best member.
    double best = kNoArc;
    for (int node : cycle)
      if (leaves[d] < 0 || graph.at(old_d, node) > best) {
        best = graph.at(old_d, node);
        leaves[d] = node;
      }
    smaller.at(d, contracted) = best;
  }
  for (int h = 0; h < contracted; ++h) {
    // An outside head entering the cycle at `node` replaces node's cycle arc.
    double best = kNoArc;
    for (int node : cycle) {
      const double gain = graph.at(node, old_index[h]) - graph.at(node, heads[node]) + cycle_score;
      if (enters[h] < 0 || gain > best) {
        best = gain;
        enters[h] = node;
      }
    }
    smaller.at(contracted, h) = best;
  }

  const std::vector<int> contracted_heads = chu_liu_edmonds(smaller);
  std::vector<int> result = heads;  // cycle members keep their cycle heads except the entry
  for (int d = 1; d < contracted; ++d) {
    const int h = contracted_heads[d];
    result[old_index[d]] = h == contracted ? leaves[d] : old_index[h];
  }
  const int entry_head = contracted_heads[contracted];
  result[enters[entry_head]] = old_index[entry_head];
  return result;
}

}  // namespace

std::vector<int> decode_tree(std::span<const float> scores, int words) {
  const int n = words + 1;
  if (words < 1) return std::vector<int>(n, -1);
  if (scores.size() != static_cast<std::size_t>(n) * n)
    throw std::invalid_argument("decode_tree: score matrix does not match the word count");
  Graph graph{n, std::vector<double>(scores.begin(), scores.end())};
  for (int h = 0; h < n; ++h) graph.at(0, h) = kNoArc;
  std::vector<int> heads = chu_liu_edmonds(graph);
  int root_children = 0;
  for (int d = 1; d < n; ++d) root_children += heads[d] == 0;
  if (root_children > 1) {
    // The best tree with one root child: the best over every choice of that child (exact; only
    // needed while the unconstrained tree has several).
    double best_score = kNoArc;
    std::vector<int> best_heads;
    std::vector<double> root_scores(n);
    for (int d = 1; d < n; ++d) root_scores[d] = graph.at(d, 0);
    for (int child = 1; child < n; ++child) {
      for (int d = 1; d < n; ++d) graph.at(d, 0) = d == child ? root_scores[d] : kNoArc;
      std::vector<int> candidate = chu_liu_edmonds(graph);
      double score = 0;
      for (int d = 1; d < n; ++d) score += graph.at(d, candidate[d]);
      if (best_heads.empty() || score > best_score) {
        best_score = score;
        best_heads = std::move(candidate);
      }
    }
    heads = std::move(best_heads);
  }
  heads[0] = -1;
  return heads;
}

}  // namespace dac::parser
