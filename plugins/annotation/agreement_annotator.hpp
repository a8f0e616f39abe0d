// The `agreements` annotator: parses each document (with a parser plugin, or by looking up the
// external CoNLL-U parse), runs every agreement extractor on every sentence, and aligns each chunk
// with the document's wordpieces. Counts per agreement type are kept for annotation.toml.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "agreement_options.hpp"
#include "annotation_statistics.hpp"
#include "conllu_documents.hpp"
#include "dac/kinds/agreement_extractor.hpp"
#include "dac/kinds/parser.hpp"
#include "dac/text/document_annotator.hpp"

namespace dac::annotation {

class AgreementAnnotator final : public text::DocumentAnnotator {
 public:
  explicit AgreementAnnotator(AgreementOptions options);

  // Uses these components instead of building them from the options' plugin tables (the
  // options' CoNLL-U files, if any, still replace the parser).
  void use(std::shared_ptr<const Parser> parser,
           std::vector<std::shared_ptr<const AgreementExtractor>> extractors);

  std::vector<std::string> types() const override;
  void open(PluginHost& plugins, const std::string& config_path) override;
  void begin_batch(std::span<const Document> batch, bool annotated) override;
  void annotate(const Document& document,
                const std::vector<std::pair<std::uint32_t, std::uint32_t>>& offsets,
                std::vector<text::DocumentChunk>& chunks) const override;
  ConfigNode statistics() const override;
  void restore_statistics(const ConfigNode& saved) override;

 private:
  // The document's sentences: the external parse of the batch, or the parser's into `parsed`.
  const std::vector<Sentence>& parse(const Document& document, std::vector<Sentence>& parsed,
                                     DocumentCounts& counts) const;

  AgreementOptions options_;
  std::shared_ptr<const Parser> parser_;
  std::unique_ptr<ConlluDocuments> conllu_;
  std::vector<std::shared_ptr<const AgreementExtractor>> extractors_;
  std::vector<std::string> types_;
  std::unique_ptr<AnnotationStatistics> statistics_;
  // The external parse of the current batch's documents, by document id.
  std::unordered_map<std::string, std::vector<Sentence>> batch_parses_;
};

}  // namespace dac::annotation
