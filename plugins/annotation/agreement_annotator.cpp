// The `agreements` annotator.
#include "agreement_annotator.hpp"

#include <chrono>
#include <stdexcept>

#include "dac/error.hpp"
#include "dac/plugin_host.hpp"
#include "dac/text/chunk_alignment.hpp"

namespace dac::annotation {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

AgreementAnnotator::AgreementAnnotator(AgreementOptions options) : options_(std::move(options)) {}

std::vector<std::string> AgreementAnnotator::types() const {
  if (!extractors_.empty()) return types_;
  std::vector<std::string> names;  // before open(): the extractors' plugin names
  for (const ConfigNode& table : options_.extractors)
    names.push_back(table.find("name")->as_string());
  return names;
}

void AgreementAnnotator::use(std::shared_ptr<const Parser> parser,
                             std::vector<std::shared_ptr<const AgreementExtractor>> extractors) {
  if (extractors.empty()) throw std::invalid_argument("the agreements annotator needs extractors");
  parser_ = std::move(parser);
  if (!options_.conllu.empty())
    conllu_ = std::make_unique<ConlluDocuments>(options_.conllu, options_.pairing);
  else if (!parser_)
    throw std::invalid_argument("the agreements annotator needs a parser or CoNLL-U files");
  extractors_ = std::move(extractors);
  types_.clear();
  for (const auto& extractor : extractors_) {
    const std::string type(extractor->type());
    for (const std::string& seen : types_)
      if (seen == type)
        throw UserError("two agreement extractors give the type '" + type +
                        "'; each type may appear once");
    types_.push_back(type);
  }
  statistics_ = std::make_unique<AnnotationStatistics>(types_);
}

void AgreementAnnotator::open(PluginHost& plugins, const std::string& config_path) {
  std::shared_ptr<const Parser> parser;
  if (options_.parser) parser = plugins.create<Parser>(*options_.parser, config_path + ".parser");
  std::vector<std::shared_ptr<const AgreementExtractor>> extractors;
  for (std::size_t i = 0; i < options_.extractors.size(); ++i)
    extractors.push_back(plugins.create<AgreementExtractor>(
        options_.extractors[i], config_path + ".extractors[" + std::to_string(i) + "]"));
  use(std::move(parser), std::move(extractors));
}

void AgreementAnnotator::begin_batch(std::span<const Document> batch, bool annotated) {
  batch_parses_.clear();
  if (!conllu_) return;
  const auto start = std::chrono::steady_clock::now();
  for (const Document& document : batch) {
    if (!annotated) {
      conllu_->skip(document);
      continue;
    }
    auto [at, inserted] = batch_parses_.try_emplace(document.id, conllu_->parse_of(document));
    if (!inserted)
      throw UserError("the corpus has two documents with the id '" + document.id +
                      "'; pairing them with a CoNLL-U parse needs unique ids");
  }
  if (annotated) statistics_->add_parse_seconds(seconds_since(start));
}

const std::vector<Sentence>& AgreementAnnotator::parse(const Document& document,
                                                       std::vector<Sentence>& parsed,
                                                       DocumentCounts& counts) const {
  if (!parser_) {
    const auto found = batch_parses_.find(document.id);
    if (found == batch_parses_.end())
      throw std::logic_error("agreements annotator: document '" + document.id +
                             "' was not in the batch given to begin_batch()");
    return found->second;
  }
  const auto start = std::chrono::steady_clock::now();
  parsed = parser_->parse(document.text);
  counts.parse_seconds += seconds_since(start);
  return parsed;
}

void AgreementAnnotator::annotate(
    const Document& document, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& offsets,
    std::vector<text::DocumentChunk>& chunks) const {
  if (!statistics_) throw std::logic_error("agreements annotator used before open()");
  DocumentCounts counts(extractors_.size());
  std::vector<Sentence> parsed;
  for (const Sentence& sentence : parse(document, parsed, counts)) {
    ++counts.sentences;
    counts.words += sentence.words.size();
    const auto pieces = text::word_pieces(sentence, offsets);
    for (std::size_t t = 0; t < extractors_.size(); ++t) {
      const std::vector<Chunk> found = extractors_[t]->extract(sentence);
      DocumentCounts::Type& type = counts.types[t];
      type.sentences += !found.empty();
      for (const Chunk& chunk : found) {
        ++type.chunks;
        type.chunk_words += chunk.members.size();
        type.chunk_words_max = std::max<std::uint64_t>(type.chunk_words_max, chunk.members.size());
        auto aligned = text::align_chunk(chunk, static_cast<std::uint16_t>(t), pieces);
        if (!aligned) continue;
        ++type.aligned;
        type.chunk_pieces += aligned->members.size();
        type.chunk_pieces_max =
            std::max<std::uint64_t>(type.chunk_pieces_max, aligned->members.size());
        chunks.push_back(std::move(*aligned));
      }
    }
  }
  statistics_->add(counts);
}

ConfigNode AgreementAnnotator::statistics() const {
  return statistics_ ? statistics_->table() : ConfigNode::table();
}

void AgreementAnnotator::restore_statistics(const ConfigNode& saved) {
  if (statistics_) statistics_->restore(saved);
}

}  // namespace dac::annotation
