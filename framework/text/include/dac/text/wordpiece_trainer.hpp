// WordPiece vocabulary training: word counting (per thread, merged) and BPE merges learned over
// word counts, where non-initial symbols carry the continuation prefix (as Hugging Face's
// WordPieceTrainer, which Crammed BERT used). The result is the token list, id = position;
// dac::text::Vocab(tokens).save(path) writes it as vocab.txt.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dac::text {

struct WordPieceTrainerOptions {
  std::size_t vocab_size = 32768;   // tokens in the vocabulary, specials and alphabet included
  std::uint64_t min_frequency = 2;  // least count of an alphabet character and of a merged pair
  std::vector<std::string> specials{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};  // ids 0, 1, …
  std::string continuation = "##";  // prefix of symbols that do not start a word
  std::size_t limit_alphabet = 0;   // keep only the most frequent characters; 0 = no limit
};

// Counts of distinct words. Count per thread, then merge the counters.
class WordCounter {
 public:
  // Hashes std::string and std::string_view alike, so lookups do not build strings.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  using Map = std::unordered_map<std::string, std::uint64_t, Hash, std::equal_to<>>;

  // Adds `count` occurrences of `word` (valid UTF-8); empty words are ignored.
  void add(std::string_view word, std::uint64_t count = 1);
  // Adds every count of `other`, which is left empty.
  void merge(WordCounter&& other);

  std::size_t distinct() const { return counts_.size(); }
  std::uint64_t total() const { return total_; }
  std::uint64_t count(std::string_view word) const;
  // Every distinct word and its count, in unspecified order.
  const Map& counts() const { return counts_; }

 private:
  Map counts_;
  std::uint64_t total_ = 0;
};

// Counts words on `threads` threads (0 = hardware): items 0 … item_count-1 are shared out among
// the threads and `count_item(i, counter)` adds the words of item i to its thread's counter; the
// counters are merged at the end. The result does not depend on the number of threads. An
// exception from `count_item` stops the counting and is rethrown.
WordCounter count_words(std::size_t item_count, unsigned threads,
                        const std::function<void(std::size_t, WordCounter&)>& count_item);

// Reports merges done out of the merges needed to fill the vocabulary.
using WordPieceProgress = std::function<void(std::size_t merges_done, std::size_t merges_total)>;

// The vocabulary learned from `words`: the specials, then the alphabet (every character seen at
// least min_frequency times, as `c` then `##c`, both in code point order, after limit_alphabet),
// then merged tokens in merge order until vocab_size tokens or no pair is seen min_frequency
// times. Each merge joins the most frequent adjacent pair (ties: the pair whose left, then right
// token comes first bytewise), so the result depends on the counts alone. Characters are code
// points; a character outside the alphabet splits its word (no pair spans it). The alphabet is
// kept whole even when it alone exceeds vocab_size.
std::vector<std::string> train_wordpiece(const WordCounter& words,
                                         const WordPieceTrainerOptions& options = {},
                                         const WordPieceProgress& progress = {});

}  // namespace dac::text
