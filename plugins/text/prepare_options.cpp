// The prepare stage's config keys.
#include "prepare_options.hpp"

#include <thread>

namespace dac::plugins {

ConfigSchema PrepareOptions::schema() {
  return ConfigSchema()
      .plugin("corpus", "corpus",
              "the text source: a table with `name` (a corpus plugin) and its keys, or an array "
              "of such tables read one after the other",
              true)
      .plugin_name("normalizer", "normalizer", "crammed",
                   "normalizer plugin (crammed, bert_uncased, or one of your own)")
      .optional_plugin("annotator", "annotator",
                       "per-document annotation (e.g. parser + agreement extractors) whose chunks "
                       "go to the sidecars; absent: no chunks")
      .string("vocab", "", "an existing vocab.txt (ours or BERT's); empty: train one on the corpus")
      .integer("vocab_size", 32768, "size of the trained WordPiece vocabulary")
      .min(16)
      .integer("min_frequency", 2, "words seen fewer times do not enter vocabulary training")
      .min(1)
      .integer("seq_len", 128, "tokens per packed row")
      .min(8)
      .max(65535)
      .real("filter_ratio", 0.25,
            "drop documents whose tokens/characters ratio is at least this (badly tokenised "
            "text); 0 keeps every document")
      .min(0)
      .string("ordering", "randomized",
              "row order: randomized (seeded shuffle), sentence_length_curriculum (rows with "
              "more '.' tokens first) or as_read")
      .choices({"randomized", "sentence_length_curriculum", "as_read"})
      .real("validation_fraction", 0.01, "share of rows held out for validation")
      .min(0)
      .max(0.5)
      .integer("shard_rows", 65536, "rows per output shard")
      .min(1)
      .integer("max_documents", 0, "stop after this many documents (0: the whole corpus)")
      .min(0)
      .integer("threads", 0, "worker threads (0: every core)")
      .min(0);
}

PrepareOptions PrepareOptions::read(const Options& options) {
  PrepareOptions result;
  result.corpus = options.node("corpus");
  result.normalizer = options.string("normalizer");
  if (options.has("annotator")) result.annotator = options.node("annotator");
  if (!options.string("vocab").empty()) result.vocab = resolve_config_path(options.node("vocab"));
  result.vocab_size = options.integer("vocab_size");
  result.min_frequency = options.integer("min_frequency");
  result.seq_len = options.integer("seq_len");
  result.filter_ratio = options.real("filter_ratio");
  result.ordering = options.string("ordering");
  result.validation_fraction = options.real("validation_fraction");
  result.shard_rows = options.integer("shard_rows");
  result.max_documents = options.integer("max_documents");
  const auto threads = options.integer("threads");
  result.threads = threads > 0 ? static_cast<unsigned>(threads)
                               : std::max(1u, std::thread::hardware_concurrency());
  return result;
}

}  // namespace dac::plugins
