// The file corpora as plugins.
#include "corpus_plugins.hpp"

#include "dac/kinds/corpus.hpp"
#include "dac/text/corpora.hpp"

namespace dac::plugins {

namespace {

ConfigSchema with_paths(ConfigSchema schema, const char* what) {
  return schema.required("paths", KeyType::StringList,
                         std::string(what) +
                             " files or folders (searched recursively), relative "
                             "to the config file that names them");
}

std::vector<std::filesystem::path> paths_of(const Options& options) {
  std::vector<std::filesystem::path> paths;
  for (const ConfigNode& entry : options.node("paths").items())
    paths.push_back(resolve_config_path(entry));
  return paths;
}

}  // namespace

void register_corpora(PluginRegistrar& registrar) {
  registrar.add<Corpus>(
      {.name = "text_files",
       .version = "1",
       .summary = "plain text (.txt, .txt.gz, .txt.zst): a blank line or a file's end ends a "
                  "document",
       .schema = with_paths(ConfigSchema(), "text")},
      [](const Options& options) {
        return std::make_unique<text::TextFilesCorpus>(text::TextFilesOptions{paths_of(options)});
      });
  registrar.add<Corpus>(
      {.name = "jsonl",
       .version = "1",
       .summary = "JSON Lines (.jsonl/.json, optionally .gz/.zst) with the text in one field",
       .schema = with_paths(ConfigSchema(), "JSON Lines")
                     .string("text_field", "text", "the field holding each document's text")
                     .boolean("skip_bad_lines", false,
                              "count malformed lines instead of stopping at the first")},
      [](const Options& options) {
        text::JsonLinesOptions corpus;
        corpus.paths = paths_of(options);
        corpus.text_field = options.string("text_field");
        corpus.skip_bad_lines = options.boolean("skip_bad_lines");
        return std::make_unique<text::JsonLinesCorpus>(std::move(corpus));
      });
  registrar.add<Corpus>(
      {.name = "wikiextractor",
       .version = "1",
       .summary = "WikiExtractor <doc> files (Wikipedia dumps), one document per article",
       .schema = with_paths(ConfigSchema(), "WikiExtractor")
                     .boolean("keep_title", false, "keep each article's title line")},
      [](const Options& options) {
        text::WikiExtractorOptions corpus;
        corpus.paths = paths_of(options);
        corpus.keep_title = options.boolean("keep_title");
        return std::make_unique<text::WikiExtractorCorpus>(std::move(corpus));
      });
  registrar.add<Corpus>(
      {.name = "gutenberg",
       .version = "1",
       .summary = "Project Gutenberg books: licence header and footer stripped, paragraphs "
                  "grouped into bounded documents",
       .schema = with_paths(ConfigSchema(), "Gutenberg book")
                     .integer("max_document_chars", 100000, "largest document, in bytes")
                     .min(1)},
      [](const Options& options) {
        text::GutenbergOptions corpus;
        corpus.paths = paths_of(options);
        corpus.max_document_chars = static_cast<std::size_t>(options.integer("max_document_chars"));
        return std::make_unique<text::GutenbergCorpus>(std::move(corpus));
      });
}

}  // namespace dac::plugins
