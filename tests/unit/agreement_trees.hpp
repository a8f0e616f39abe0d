// Building small dependency trees for the agreement tests: one row per word, CoNLL-U style (heads
// 1-based, 0 for the root), turned into a Sentence with its text and byte offsets.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "dac/syntax/conllu.hpp"
#include "dac/syntax/sentence.hpp"

namespace dac::test {

struct TreeRow {
  std::string form, upos;
  int head = 0;  // 1-based, 0 for the root
  std::string deprel;
  std::string feats = "_";
};

inline Sentence tree(std::initializer_list<TreeRow> rows) {
  Sentence sentence;
  for (const TreeRow& row : rows) {
    Word word;
    word.form = row.form;
    word.lemma = row.form;
    word.upos = row.upos;
    word.xpos = "_";
    word.feats = row.feats;
    word.head = row.head - 1;
    word.deprel = row.deprel;
    word.deps = "_";
    word.misc = "_";
    sentence.text += (sentence.text.empty() ? "" : " ") + row.form;
    sentence.words.push_back(std::move(word));
  }
  compute_text_offsets(sentence);
  return sentence;
}

}  // namespace dac::test
