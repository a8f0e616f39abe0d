// Padded parser batches and length-bucketed grouping.
#include "parser_batch.hpp"

#include <algorithm>
#include <numeric>

namespace dac::parser {

ParserBatch make_batch(const std::vector<const Sentence*>& sentences, const ParserVocab& vocab,
                       bool gold) {
  const auto count = static_cast<std::int64_t>(sentences.size());
  std::int64_t width = 1;
  for (const Sentence* sentence : sentences)
    width = std::max<std::int64_t>(width, static_cast<std::int64_t>(sentence->words.size()) + 1);
  std::vector<std::int64_t> words(count * width, ParserVocab::kPadding),
      affixes(count * width * kAffixCount, 0), shapes(count * width, 0), lengths(count);
  std::vector<std::int64_t> upos, heads, relations;
  if (gold) {
    upos.assign(count * width, -1);
    heads.assign(count * width, -1);
    relations.assign(count * width, -1);
  }
  std::vector<char> mask(count * width, 0);
  for (std::int64_t b = 0; b < count; ++b) {
    const Sentence& sentence = *sentences[b];
    lengths[b] = static_cast<std::int64_t>(sentence.words.size()) + 1;
    for (std::int64_t t = 0; t < lengths[b]; ++t) {
      const std::int64_t at = b * width + t;
      const WordFeatures features =
          t == 0 ? ParserVocab::root_features() : vocab.features(sentence.words[t - 1].form);
      words[at] = features.word;
      std::copy(features.affixes.begin(), features.affixes.end(),
                affixes.begin() + at * static_cast<std::int64_t>(kAffixCount));
      shapes[at] = features.shape;
      if (t == 0) continue;
      mask[at] = 1;
      if (!gold) continue;
      const Word& word = sentence.words[t - 1];
      upos[at] = vocab.upos_id(word.upos);
      heads[at] = word.head + 1;  // node index: 0 is the root
      relations[at] = vocab.relation_id(word.deprel);
    }
  }
  auto to_tensor = [](std::vector<std::int64_t>& values, std::vector<std::int64_t> shape) {
    return torch::from_blob(values.data(), shape, torch::kInt64).clone();
  };
  ParserBatch batch;
  batch.words = to_tensor(words, {count, width});
  batch.affixes = to_tensor(affixes, {count, width, static_cast<std::int64_t>(kAffixCount)});
  batch.shapes = to_tensor(shapes, {count, width});
  batch.lengths = to_tensor(lengths, {count});
  batch.mask = torch::from_blob(mask.data(), {count, width}, torch::kBool).clone();
  if (gold) {
    batch.upos = to_tensor(upos, {count, width});
    batch.heads = to_tensor(heads, {count, width});
    batch.relations = to_tensor(relations, {count, width});
  }
  return batch;
}

ParserBatch to_device(const ParserBatch& batch, const torch::Device& device) {
  auto move = [&](const torch::Tensor& tensor) {
    return tensor.defined() ? tensor.to(device, /*non_blocking=*/true) : tensor;
  };
  ParserBatch moved;
  moved.words = move(batch.words);
  moved.affixes = move(batch.affixes);
  moved.shapes = move(batch.shapes);
  moved.lengths = batch.lengths;  // pack_padded_sequence wants the lengths on the CPU
  moved.mask = move(batch.mask);
  moved.upos = move(batch.upos);
  moved.heads = move(batch.heads);
  moved.relations = move(batch.relations);
  return moved;
}

std::vector<std::vector<std::size_t>> length_batches(const std::vector<const Sentence*>& sentences,
                                                     std::size_t batch_words) {
  std::vector<std::size_t> order(sentences.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return sentences[a]->words.size() < sentences[b]->words.size();
  });
  std::vector<std::vector<std::size_t>> batches;
  std::size_t words = 0;
  for (std::size_t index : order) {
    const std::size_t size = sentences[index]->words.size() + 1;
    if (batches.empty() || words + size > batch_words) {
      batches.emplace_back();
      words = 0;
    }
    batches.back().push_back(index);
    words += size;
  }
  return batches;
}

}  // namespace dac::parser
