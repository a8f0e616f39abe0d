// The raw text of a CoNLL-U treebank rebuilt from its "# text" comments: one document per
// "# newdoc", one paragraph per "# newpar". Used to run a segmenter or parser on a treebank's
// text and score it against the treebank. No torch.
#pragma once

#include <string>
#include <vector>

#include "dac/syntax/sentence.hpp"

namespace dac::syntax {

struct RawDocument {
  std::string id;  // the "# newdoc id = ..." value; empty when the treebank gives none
  // The document's text: the sentences of a paragraph joined with one space, paragraphs with a
  // blank line ("\n\n").
  std::string text;
};

// The documents of `sentences` in order. A sentence without "# text" contributes the forms of its
// surface tokens joined with spaces. A treebank without "# newdoc" is one document; a document
// without "# newpar" is one paragraph.
std::vector<RawDocument> raw_documents(const std::vector<Sentence>& sentences);

}  // namespace dac::syntax
