// WordPiece vocabulary training: word counting, the initial alphabet, and BPE merges driven by a
// max-heap of pair counts (lazily invalidated) with a pair → words index, so that each merge only
// visits the words that contain its pair.
#include "dac/text/wordpiece_trainer.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <optional>
#include <queue>
#include <thread>
#include <utility>

#include "dac/text/utf8.hpp"

namespace dac::text {

void WordCounter::add(std::string_view word, std::uint64_t count) {
  if (word.empty() || count == 0) return;
  total_ += count;
  if (const auto it = counts_.find(word); it != counts_.end()) {
    it->second += count;
  } else {
    counts_.emplace(std::string(word), count);
  }
}

void WordCounter::merge(WordCounter&& other) {
  total_ += other.total_;
  if (other.counts_.size() > counts_.size()) std::swap(counts_, other.counts_);
  for (auto& [word, count] : other.counts_) counts_[word] += count;
  other.counts_.clear();
  other.total_ = 0;
}

std::uint64_t WordCounter::count(std::string_view word) const {
  const auto it = counts_.find(word);
  return it == counts_.end() ? 0 : it->second;
}

WordCounter count_words(std::size_t item_count, unsigned threads,
                        const std::function<void(std::size_t, WordCounter&)>& count_item) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  if (item_count < threads) threads = static_cast<unsigned>(std::max<std::size_t>(1, item_count));
  std::vector<WordCounter> counters(threads);
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;  // the first exception of any thread, rethrown here
  const auto work = [&](WordCounter& counter) {
    try {
      for (std::size_t i = next++; i < item_count; i = next++) count_item(i, counter);
    } catch (...) {
      next = item_count;
      const std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  std::vector<std::jthread> workers;
  for (unsigned t = 1; t < threads; ++t) workers.emplace_back(work, std::ref(counters[t]));
  work(counters[0]);
  workers.clear();  // joins
  if (failure) std::rethrow_exception(failure);
  for (unsigned t = 1; t < threads; ++t) counters[0].merge(std::move(counters[t]));
  return std::move(counters[0]);
}

namespace {

using SymbolId = std::uint32_t;
using PairKey = std::uint64_t;

PairKey pair_key(SymbolId left, SymbolId right) {
  return (static_cast<PairKey>(left) << 32) | right;
}
SymbolId left_of(PairKey key) {
  return static_cast<SymbolId>(key >> 32);
}
SymbolId right_of(PairKey key) {
  return static_cast<SymbolId>(key);
}

// The token list being built, with the id of each distinct token.
class TokenList {
 public:
  // The id of `token`, added at the end when new.
  SymbolId add(std::string token) {
    const auto [it, added] = ids_.try_emplace(token, static_cast<SymbolId>(tokens_.size()));
    if (added) tokens_.push_back(std::move(token));
    return it->second;
  }
  const std::string& operator[](SymbolId id) const { return tokens_[id]; }
  std::size_t size() const { return tokens_.size(); }
  std::vector<std::string> release() { return std::move(tokens_); }

 private:
  std::vector<std::string> tokens_;
  std::unordered_map<std::string, SymbolId, WordCounter::Hash, std::equal_to<>> ids_;
};

// Calls `visit(code_point, is_first)` for each code point of `word`.
template <typename Visit>
void for_each_code_point(std::string_view word, Visit&& visit) {
  char32_t code_point;
  for (std::size_t pos = 0; pos < word.size();) {
    const std::size_t length = decode_utf8(word, pos, code_point);
    visit(code_point, pos == 0);
    pos += length;
  }
}

// Characters seen at least min_frequency times (the limit_alphabet most frequent when set), in
// code point order.
std::vector<char32_t> select_alphabet(const WordCounter& words,
                                      const WordPieceTrainerOptions& options) {
  std::unordered_map<char32_t, std::uint64_t> char_counts;
  for (const auto& [word, count] : words.counts()) {
    for_each_code_point(word, [&](char32_t c, bool) { char_counts[c] += count; });
  }
  std::vector<std::pair<char32_t, std::uint64_t>> kept;
  for (const auto& entry : char_counts) {
    if (entry.second >= options.min_frequency) kept.push_back(entry);
  }
  if (options.limit_alphabet != 0 && kept.size() > options.limit_alphabet) {
    const auto more_frequent = [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    };
    std::partial_sort(kept.begin(), kept.begin() + options.limit_alphabet, kept.end(),
                      more_frequent);
    kept.resize(options.limit_alphabet);
  }
  std::vector<char32_t> alphabet;
  for (const auto& entry : kept) alphabet.push_back(entry.first);
  std::sort(alphabet.begin(), alphabet.end());
  return alphabet;
}

// The word-initial and continuation symbols of each alphabet character.
struct CharSymbols {
  SymbolId initial;
  SymbolId continuation;
};
using SymbolTable = std::unordered_map<char32_t, CharSymbols>;

// Adds every `c`, then every `##c`, to `tokens`.
SymbolTable add_alphabet(const std::vector<char32_t>& alphabet, const std::string& continuation,
                         TokenList& tokens) {
  SymbolTable table;
  for (const char32_t c : alphabet) {
    std::string text;
    append_utf8(c, text);
    table[c].initial = tokens.add(std::move(text));
  }
  for (const char32_t c : alphabet) {
    std::string text = continuation;
    append_utf8(c, text);
    table[c].continuation = tokens.add(std::move(text));
  }
  return table;
}

// The words as symbol sequences (one flat buffer) with their counts. A character outside the
// alphabet ends a piece; pieces of one symbol have no pairs and are left out.
struct TrainingWords {
  struct Word {
    std::size_t begin;
    std::uint32_t size;
    std::uint64_t count;
  };
  std::vector<SymbolId> symbols;
  std::vector<Word> words;

  TrainingWords(const WordCounter& counter, const SymbolTable& table) {
    for (const auto& [word, count] : counter.counts()) {
      std::size_t begin = symbols.size();
      for_each_code_point(word, [&](char32_t c, bool is_first) {
        const auto it = table.find(c);
        if (it != table.end()) {
          symbols.push_back(is_first ? it->second.initial : it->second.continuation);
          return;
        }
        end_piece(begin, count);
        begin = symbols.size();
      });
      end_piece(begin, count);
    }
  }

 private:
  void end_piece(std::size_t begin, std::uint64_t count) {
    const std::size_t size = symbols.size() - begin;
    if (size >= 2) {
      words.push_back({begin, static_cast<std::uint32_t>(size), count});
    } else {
      symbols.resize(begin);
    }
  }
};

// Learns merges: pair counts, the words holding each pair, and a max-heap of candidate pairs.
// A heap entry is stale when its count differs from the pair's current count; every pair with a
// positive count has an entry with at least that count (counts that grow are pushed again).
class PairMerger {
 public:
  PairMerger(TrainingWords& words, TokenList& tokens, const std::string& continuation)
      : words_(words),
        tokens_(tokens),
        continuation_size_(continuation.size()),
        heap_(HeapOrder{&tokens}) {
    for (std::uint32_t w = 0; w < words_.words.size(); ++w) {
      const auto& word = words_.words[w];
      const SymbolId* symbols = &words_.symbols[word.begin];
      for (std::uint32_t i = 0; i + 1 < word.size; ++i) {
        add_count(pair_key(symbols[i], symbols[i + 1]), word.count, w);
      }
    }
    for (const auto& [key, info] : pairs_) heap_.push({info.count, key});
  }

  // Merges the best pair seen at least `min_frequency` times; false when there is none.
  bool merge_best(std::uint64_t min_frequency) {
    const std::optional<PairKey> best = pop_best();
    if (!best || pairs_.at(*best).count < min_frequency) return false;
    merge(*best);
    return true;
  }

 private:
  struct PairInfo {
    std::uint64_t count = 0;
    std::vector<std::uint32_t> words;  // may hold words that no longer contain the pair
  };
  struct Candidate {
    std::uint64_t count;
    PairKey key;
  };
  // Heap order: higher count first, then the pair whose (left, right) tokens come first.
  struct HeapOrder {
    const TokenList* tokens;
    bool operator()(const Candidate& a, const Candidate& b) const {
      if (a.count != b.count) return a.count < b.count;
      const TokenList& t = *tokens;
      const int left = t[left_of(a.key)].compare(t[left_of(b.key)]);
      return left != 0 ? left > 0 : t[right_of(a.key)] > t[right_of(b.key)];
    }
  };

  std::uint64_t current_count(PairKey key) const {
    const auto it = pairs_.find(key);
    return it == pairs_.end() ? 0 : it->second.count;
  }

  std::optional<PairKey> pop_best() {
    while (!heap_.empty()) {
      const Candidate top = heap_.top();
      heap_.pop();
      const std::uint64_t count = current_count(top.key);
      if (count == top.count) return top.key;
      if (count != 0 && count < top.count) heap_.push({count, top.key});
    }
    return std::nullopt;
  }

  void add_count(PairKey key, std::uint64_t count, std::uint32_t word) {
    PairInfo& info = pairs_[key];
    info.count += count;
    if (info.words.empty() || info.words.back() != word) info.words.push_back(word);
  }

  void remove_count(PairKey key, std::uint64_t count) {
    const auto it = pairs_.find(key);
    it->second.count -= count;
    if (it->second.count == 0) pairs_.erase(it);
  }

  void merge(PairKey key) {
    const SymbolId left = left_of(key);
    const SymbolId right = right_of(key);
    const SymbolId merged = tokens_.add(tokens_[left] + tokens_[right].substr(continuation_size_));
    std::vector<std::uint32_t> holders = std::move(pairs_.extract(key).mapped().words);
    std::sort(holders.begin(), holders.end());
    holders.erase(std::unique(holders.begin(), holders.end()), holders.end());
    merging_ = key;
    grown_.clear();
    for (const std::uint32_t w : holders) merge_in_word(w, left, right, merged);
    std::sort(grown_.begin(), grown_.end());
    grown_.erase(std::unique(grown_.begin(), grown_.end()), grown_.end());
    for (const PairKey grown : grown_) {
      if (const std::uint64_t count = current_count(grown); count != 0) heap_.push({count, grown});
    }
  }

  // Replaces each (left, right) in word `w` by `merged`, left to right, in place, updating the
  // counts of the neighbouring pairs.
  void merge_in_word(std::uint32_t w, SymbolId left, SymbolId right, SymbolId merged) {
    auto& word = words_.words[w];
    SymbolId* s = &words_.symbols[word.begin];
    std::uint32_t out = 0;
    for (std::uint32_t in = 0; in < word.size;) {
      if (in + 1 < word.size && s[in] == left && s[in + 1] == right) {
        if (out > 0) change(s[out - 1], left, s[out - 1], merged, word.count, w);
        if (in + 2 < word.size) change(right, s[in + 2], merged, s[in + 2], word.count, w);
        s[out++] = merged;
        in += 2;
      } else {
        s[out++] = s[in++];
      }
    }
    word.size = out;
  }

  // Moves `count` from the pair (old_left, old_right) to the pair (new_left, new_right).
  void change(SymbolId old_left, SymbolId old_right, SymbolId new_left, SymbolId new_right,
              std::uint64_t count, std::uint32_t w) {
    if (const PairKey old_key = pair_key(old_left, old_right); old_key != merging_) {
      remove_count(old_key, count);
    }
    const PairKey new_key = pair_key(new_left, new_right);
    add_count(new_key, count, w);
    grown_.push_back(new_key);
  }

  TrainingWords& words_;
  TokenList& tokens_;
  std::size_t continuation_size_;
  std::unordered_map<PairKey, PairInfo> pairs_;
  std::priority_queue<Candidate, std::vector<Candidate>, HeapOrder> heap_;
  PairKey merging_ = 0;
  std::vector<PairKey> grown_;  // pairs whose count grew during the current merge
};

}  // namespace

std::vector<std::string> train_wordpiece(const WordCounter& words,
                                         const WordPieceTrainerOptions& options,
                                         const WordPieceProgress& progress) {
  TokenList tokens;
  for (const std::string& special : options.specials) tokens.add(special);
  const SymbolTable table =
      add_alphabet(select_alphabet(words, options), options.continuation, tokens);
  TrainingWords training_words(words, table);
  PairMerger merger(training_words, tokens, options.continuation);

  const std::size_t base = tokens.size();
  const std::size_t total = options.vocab_size > base ? options.vocab_size - base : 0;
  constexpr std::size_t kProgressEvery = 256;
  std::size_t reported = 0;
  while (tokens.size() < options.vocab_size && merger.merge_best(options.min_frequency)) {
    const std::size_t done = tokens.size() - base;
    if (progress && done >= reported + kProgressEvery) progress(reported = done, total);
  }
  if (progress) progress(tokens.size() - base, total);
  return tokens.release();
}

}  // namespace dac::text
