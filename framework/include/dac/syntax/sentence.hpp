// A parsed sentence: words with Universal Dependencies annotation (the ten CoNLL-U fields) and
// their byte offsets in the raw text, plus the agreement chunks extracted from it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace dac {

struct Word {
  std::string form, lemma, upos, xpos, feats, deprel, deps, misc;
  int head = -1;  // 0-based index of the head word in Sentence::words; -1 for the root
  // Byte range [begin, end) of the word in the raw text it was parsed from; npos when unknown.
  std::size_t begin = std::string::npos;
  std::size_t end = std::string::npos;
};

struct Sentence {
  std::string text;         // the sentence text (CoNLL-U "# text")
  std::vector<Word> words;  // basic-tree words, in order
};

// One agreement instance: the words taking part (ordered, possibly discontiguous) and the two
// anchors. All indices are 0-based into Sentence::words.
struct Chunk {
  std::vector<int> members;
  int controller = -1;
  int target = -1;
};

}  // namespace dac
