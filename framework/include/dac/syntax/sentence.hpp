// A parsed sentence: words with Universal Dependencies annotation (the ten CoNLL-U fields) and
// their byte offsets in the raw text, plus the agreement chunks extracted from it.
#pragma once

#include <array>
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

// A CoNLL-U line outside the basic tree, kept so that writing the sentence reproduces it: a
// multiword token ("3-4": the surface token that words 3 and 4 split) or an empty node of the
// enhanced graph ("5.1").
struct ExtraLine {
  enum class Kind { multiword_token, empty_node };
  Kind kind = Kind::multiword_token;
  // Written just before words[before]; words.size() places it after the last word.
  std::size_t before = 0;
  // The ten columns as read: ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC.
  std::array<std::string, 10> columns;
};

struct Sentence {
  std::string text;         // the sentence text (CoNLL-U "# text")
  std::vector<Word> words;  // basic-tree words, in order
  // CoNLL-U comment lines in order, verbatim without the newline ("# sent_id = ...", "# text =
  // ...").
  std::vector<std::string> comments;
  // Multiword tokens and empty nodes, in file order.
  std::vector<ExtraLine> extra_lines;
};

// One agreement instance: the words taking part (ordered, possibly discontiguous) and the two
// anchors. All indices are 0-based into Sentence::words.
struct Chunk {
  std::vector<int> members;
  int controller = -1;
  int target = -1;
};

}  // namespace dac
