// An agreement along one dependency arc (see arc_extractor.hpp).
#include "arc_extractor.hpp"

namespace dac::agreements {

std::vector<Chunk> ArcExtractor::extract(const Sentence& sentence) const {
  std::vector<Chunk> chunks;
  const Dependents dependents(sentence);
  for (int dependent = 0; dependent < static_cast<int>(sentence.words.size()); ++dependent) {
    const int head = head_of(sentence, dependent);
    if (head < 0 || !common_.relations.matches(sentence.words[dependent].deprel)) continue;
    const int controller = rule_.head_controls ? head : dependent;
    const int target = rule_.head_controls ? dependent : head;
    if (!common_.controller_tags.matches(sentence.words[controller].upos) ||
        !common_.target_tags.matches(sentence.words[target].upos))
      continue;
    if (rule_.accept && !rule_.accept(sentence, head, dependent)) continue;
    std::vector<int> phrase;
    if (common_.span != Span::anchors && rule_.phrase)
      phrase = rule_.phrase(sentence, dependents, head, dependent);
    if (auto chunk =
            make_chunk(controller, target, std::move(phrase), common_.span, common_.max_words))
      chunks.push_back(std::move(*chunk));
  }
  return chunks;
}

}  // namespace dac::agreements
