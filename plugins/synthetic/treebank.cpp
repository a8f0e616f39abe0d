// Synthetic gold treebanks in CoNLL-U.
#include "treebank.hpp"

#include <sstream>

#include "dac/summary.hpp"
#include "dac/syntax/conllu.hpp"

namespace dac::synthetic {

std::uint64_t write_treebank(const SyntheticGenerator& generator, const std::filesystem::path& path,
                             std::uint32_t first_document, std::uint64_t sentences,
                             std::uint32_t per_document) {
  std::uint64_t words = 0;
  write_file_atomically(path, [&](std::ostream& out) {
    for (std::uint64_t k = 0; k < sentences; ++k) {
      const auto document = first_document + static_cast<std::uint32_t>(k / per_document);
      const auto index = static_cast<std::uint32_t>(k % per_document);
      Sentence sentence = generator.sentence(document, index).sentence;
      sentence.comments.clear();
      if (index == 0)
        sentence.comments.push_back("# newdoc id = synthetic#" + std::to_string(document));
      sentence.comments.push_back("# sent_id = synthetic#" + std::to_string(document) + "." +
                                  std::to_string(index));
      sentence.comments.push_back("# text = " + sentence.text);
      for (std::size_t i = 0; i + 1 < sentence.words.size(); ++i)
        if (sentence.words[i].end == sentence.words[i + 1].begin)
          sentence.words[i].misc = "SpaceAfter=No";
      words += sentence.words.size();
      write_conllu(out, sentence);
    }
  });
  return words;
}

}  // namespace dac::synthetic
