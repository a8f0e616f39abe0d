// The prepare stage.
#include "prepare_stage.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "annotation_cache.hpp"
#include "annotation_report.hpp"
#include "dac/error.hpp"
#include "dac/kinds/corpus.hpp"
#include "dac/kinds/normalizer.hpp"
#include "dac/parallel.hpp"
#include "dac/plugin_host.hpp"
#include "dac/summary.hpp"
#include "dac/text/document_annotator.hpp"
#include "dac/text/vocab.hpp"
#include "dac/text/wordpiece.hpp"
#include "dac/text/wordpiece_trainer.hpp"
#include "prepare_options.hpp"
#include "prepare_output.hpp"

namespace dac::plugins {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kDocumentsPerBatch = 512;

class Stopwatch {
 public:
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// The `words` count of an annotator's statistics (0 when it keeps none).
std::int64_t annotated_words(const ConfigNode& statistics) {
  const ConfigNode* words = statistics.find("words");
  return words && words->type() == ConfigNode::Type::Int ? words->as_int() : 0;
}

// e.g. "12.3k".
std::string format_rate(double rate) {
  char buffer[32];
  if (rate >= 1e6)
    std::snprintf(buffer, sizeof buffer, "%.1fM", rate / 1e6);
  else if (rate >= 1e3)
    std::snprintf(buffer, sizeof buffer, "%.1fk", rate / 1e3);
  else
    std::snprintf(buffer, sizeof buffer, "%.0f", rate);
  return buffer;
}

std::size_t count_characters(std::string_view text) {
  std::size_t characters = 0;
  for (unsigned char c : text) characters += (c & 0xC0) != 0x80;
  return characters;
}

// Several corpora read one after the other.
class ConcatenatedCorpus : public Corpus {
 public:
  explicit ConcatenatedCorpus(std::vector<std::shared_ptr<Corpus>> parts)
      : parts_(std::move(parts)) {}
  void read(const std::function<bool(Document&&)>& sink) override {
    bool more = true;
    for (auto& part : parts_) {
      if (!more) return;
      part->read([&](Document&& document) { return more = sink(std::move(document)); });
    }
  }
  std::string describe() const override {
    std::string text;
    for (const auto& part : parts_) text += (text.empty() ? "" : " + ") + part->describe();
    return text;
  }
  std::uint64_t size_hint_bytes() const override {
    std::uint64_t bytes = 0;
    for (const auto& part : parts_) bytes += part->size_hint_bytes();
    return bytes;
  }
  // Each count summed over the parts.
  std::vector<std::pair<std::string, std::uint64_t>> statistics() const override {
    std::vector<std::pair<std::string, std::uint64_t>> sums;
    for (const auto& part : parts_)
      for (const auto& [name, count] : part->statistics()) {
        auto it = std::find_if(sums.begin(), sums.end(),
                               [&](const auto& entry) { return entry.first == name; });
        if (it == sums.end())
          sums.emplace_back(name, count);
        else
          it->second += count;
      }
    return sums;
  }

 private:
  std::vector<std::shared_ptr<Corpus>> parts_;
};

class PrepareStage : public Stage {
 public:
  explicit PrepareStage(PrepareOptions options) : options_(std::move(options)) {}

  ConfigNode run(StageContext& ctx) override {
    const Stopwatch total;
    auto corpus = make_corpus(ctx);
    auto normalizer = ctx.plugins().create_named<Normalizer>(
        options_.normalizer, ConfigNode::table(), "stages." + ctx.stage_name() + ".normalizer");
    ctx.log().info("corpus: " + corpus->describe());

    const Stopwatch vocab_clock;
    const text::Vocab vocab = load_or_train_vocab(ctx, *corpus, *normalizer);
    const double vocab_seconds = vocab_clock.seconds();

    std::shared_ptr<text::DocumentAnnotator> annotator = make_annotator(ctx);
    const std::vector<std::string> types =
        annotator ? annotator->types() : std::vector<std::string>{};

    const Stopwatch encode_clock;
    PreparedData data(ctx.dir(), options_, vocab, types);
    const double annotate_seconds =
        encode_and_pack(ctx, *corpus, *normalizer, annotator.get(), vocab, data);
    const double encode_seconds = encode_clock.seconds();
    ConfigNode annotation;
    if (annotator) {
      annotation =
          annotation_report(annotator->statistics(), types, data.packing(), annotate_seconds);
      write_file_atomically(ctx.dir() / "annotation.toml", to_toml(annotation));
    }

    const Stopwatch write_clock;
    data.write_ordered_splits(ctx.seed(), ctx.log());
    const double write_seconds = write_clock.seconds();

    ConfigNode result = data.statistics();
    for (const auto& [name, count] : corpus->statistics())
      result.set("corpus_" + name, ConfigNode::integer(static_cast<std::int64_t>(count)));
    result.set("vocab_seconds", ConfigNode::real(vocab_seconds));
    result.set("encode_seconds", ConfigNode::real(encode_seconds));
    result.set("write_seconds", ConfigNode::real(write_seconds));
    result.set("tokens_per_second", ConfigNode::real(result.find("tokens")->as_float() /
                                                     std::max(encode_seconds, 1e-9)));
    result.set("wall_seconds", ConfigNode::real(total.seconds()));
    if (annotator) add_annotation_summary(annotation, result);
    write_file_atomically(ctx.dir() / "statistics.toml", to_toml(result));
    if (annotator) AnnotationCache(ctx.dir(), false).remove();  // the output is complete
    return result;
  }

 private:
  std::shared_ptr<Corpus> make_corpus(StageContext& ctx) const {
    const std::string path = "stages." + ctx.stage_name() + ".corpus";
    if (options_.corpus.is_table()) return ctx.plugins().create<Corpus>(options_.corpus, path);
    if (!options_.corpus.is_array() || options_.corpus.items().empty())
      config_fail(options_.corpus, path,
                  "expected a corpus table (with `name`) or a non-empty array of them");
    std::vector<std::shared_ptr<Corpus>> parts;
    for (std::size_t i = 0; i < options_.corpus.items().size(); ++i)
      parts.push_back(ctx.plugins().create<Corpus>(options_.corpus.items()[i],
                                                   path + "[" + std::to_string(i) + "]"));
    return std::make_shared<ConcatenatedCorpus>(std::move(parts));
  }

  // The annotator, opened. A `parser` table without `model` gets the parser of a train_parser
  // input stage. The table as used (the parser's model path absolute) goes to annotator.toml.
  std::shared_ptr<text::DocumentAnnotator> make_annotator(StageContext& ctx) const {
    if (!options_.annotator.contains("name")) return nullptr;
    ConfigNode table = options_.annotator;
    ConfigNode* parser = table.find("parser");
    if (parser && parser->is_table() && !parser->contains("model"))
      for (const StageInput& input : ctx.inputs())
        if (input.kind == "train_parser") {
          parser->set("model", ConfigNode::string((input.dir / "parser.model").string()));
          ctx.log().info("annotation: parser model from stage " + input.name + ": " +
                         (input.dir / "parser.model").string());
          break;
        }
    if (parser && parser->is_table())
      if (const ConfigNode* model = parser->find("model");
          model && model->type() == ConfigNode::Type::String)
        parser->set("model", ConfigNode::string(fs::absolute(model->as_string()).string()));
    const std::string path = "stages." + ctx.stage_name() + ".annotator";
    auto annotator = ctx.plugins().create<text::DocumentAnnotator>(table, path);
    annotator->open(ctx.plugins(), path);
    // The annotator as used, for fine-tuning: GLUE sentences are annotated like this corpus.
    write_file_atomically(ctx.dir() / "annotator.toml", to_toml(table));
    return annotator;
  }

  // Reads the corpus in batches of documents, stopping at max_documents; fn(batch, progress).
  template <class Fn>
  void for_each_batch(Corpus& corpus, StageContext& ctx, const std::string& label, Fn fn) {
    Progress progress(ctx.log(), label, corpus.size_hint_bytes(), "bytes");
    std::vector<Document> batch;
    std::uint64_t seen = 0;
    auto flush = [&] {
      std::uint64_t bytes = 0;
      for (const auto& document : batch) bytes += document.text.size();
      fn(batch, progress);
      progress.advance(bytes);
      batch.clear();
    };
    corpus.read([&](Document&& document) {
      if (options_.max_documents > 0 && seen >= static_cast<std::uint64_t>(options_.max_documents))
        return false;
      ++seen;
      batch.push_back(std::move(document));
      if (batch.size() == kDocumentsPerBatch) flush();
      return true;
    });
    if (!batch.empty()) flush();
    progress.finish();
  }

  text::Vocab load_or_train_vocab(StageContext& ctx, Corpus& corpus, const Normalizer& normalizer) {
    const fs::path path = ctx.dir() / "vocab.txt";
    if (!options_.vocab.empty()) {
      text::Vocab vocab = text::Vocab::load(options_.vocab);
      fs::copy_file(options_.vocab, path, fs::copy_options::overwrite_existing);
      ctx.log().info("vocabulary: " + options_.vocab.string() + " (" +
                     std::to_string(vocab.size()) + " tokens)");
      return vocab;
    }
    if (ctx.resuming() && fs::exists(path)) {
      ctx.log().info("vocabulary: reusing the one trained before the interruption");
      return text::Vocab::load(path);
    }
    std::vector<text::WordCounter> counters(options_.threads);
    for_each_batch(corpus, ctx, "count words", [&](std::vector<Document>& batch, Progress&) {
      parallel_slices(batch.size(), options_.threads,
                      [&](unsigned worker, std::size_t begin, std::size_t end) {
                        for (std::size_t i = begin; i < end; ++i)
                          for (const PreToken& word : normalizer.pre_tokenize(batch[i].text))
                            counters[worker].add(word.text);
                      });
    });
    for (std::size_t i = 1; i < counters.size(); ++i) counters[0].merge(std::move(counters[i]));
    text::WordPieceTrainerOptions trainer;
    trainer.vocab_size = static_cast<std::size_t>(options_.vocab_size);
    trainer.min_frequency = static_cast<std::uint64_t>(options_.min_frequency);
    Progress merges(ctx.log(), "train vocabulary", 0, "merges");
    const std::vector<std::string> tokens = text::train_wordpiece(
        counters[0], trainer, [&](std::size_t done, std::size_t) { merges.set(done); });
    merges.finish();
    text::Vocab vocab(tokens, path.string());
    vocab.save(path);
    ctx.log().info("vocabulary: trained " + std::to_string(tokens.size()) + " tokens from " +
                   std::to_string(counters[0].distinct()) + " distinct words");
    return vocab;
  }

  // Encodes, annotates and packs every document; returns the seconds spent annotating. With an
  // annotator, each batch's chunks go to the annotation cache, and a resumed run takes the
  // batches the cache holds from there.
  double encode_and_pack(StageContext& ctx, Corpus& corpus, const Normalizer& normalizer,
                         text::DocumentAnnotator* annotator, const text::Vocab& vocab,
                         PreparedData& data) {
    const text::WordPieceEncoder encoder(vocab);
    std::unique_ptr<AnnotationCache> cache;
    if (annotator) {
      cache = std::make_unique<AnnotationCache>(ctx.dir(), ctx.resuming());
      if (cache->completed_batches() > 0) {
        annotator->restore_statistics(cache->saved_statistics());
        ctx.log().info("annotation: reusing the chunks of " +
                       std::to_string(cache->completed_batches()) +
                       " batches annotated before the interruption");
      }
    }
    std::vector<text::WordPieceEncoder::Encoded> encoded;
    std::vector<std::vector<text::DocumentChunk>> chunks;
    std::vector<std::size_t> tokens;
    std::vector<char> keep;
    std::uint64_t batch_index = 0;
    double annotate_seconds = 0;
    std::int64_t words_before = -1;  // annotator words when annotation started in this process
    auto for_each_document = [&](std::size_t count, auto fn) {
      parallel_slices(count, options_.threads, [&](unsigned, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) fn(i);
      });
    };
    for_each_batch(
        corpus, ctx, "encode and pack", [&](std::vector<Document>& batch, Progress& progress) {
          const bool cached = cache && batch_index < cache->completed_batches();
          ++batch_index;
          encoded.assign(batch.size(), {});
          chunks.assign(batch.size(), {});
          keep.assign(batch.size(), 1);
          for_each_document(batch.size(), [&](std::size_t i) {
            encoder.encode(normalizer.pre_tokenize(batch[i].text), encoded[i]);
            const std::size_t characters = count_characters(batch[i].text);
            keep[i] = options_.filter_ratio <= 0 ||
                      static_cast<double>(encoded[i].ids.size()) <
                          options_.filter_ratio * static_cast<double>(characters);
          });
          tokens.resize(batch.size());
          for (std::size_t i = 0; i < batch.size(); ++i) tokens[i] = encoded[i].ids.size();
          if (annotator && cached) {
            annotator->begin_batch(batch, false);
            cache->read_batch(tokens, chunks);
          } else if (annotator) {
            if (words_before < 0) words_before = annotated_words(annotator->statistics());
            const Stopwatch annotate_clock;
            annotator->begin_batch(batch, true);
            for_each_document(batch.size(), [&](std::size_t i) {
              if (keep[i] && !encoded[i].ids.empty())
                annotator->annotate(batch[i], encoded[i].offsets, chunks[i]);
            });
            annotate_seconds += annotate_clock.seconds();
            const ConfigNode statistics = annotator->statistics();
            cache->append_batch(tokens, chunks, statistics);
            const std::int64_t words = annotated_words(statistics) - words_before;
            if (words > 0)
              progress.set_detail(
                  format_rate(static_cast<double>(words) / std::max(annotate_seconds, 1e-9)) +
                  " words/s annotated");
          }
          for (std::size_t i = 0; i < batch.size(); ++i) {
            if (encoded[i].ids.empty()) continue;
            if (keep[i])
              data.add_document(encoded[i].ids, chunks[i]);
            else
              data.count_filtered(encoded[i].ids.size());
          }
        });
    data.finish_packing();
    if (annotator) {
      const std::int64_t words = annotated_words(annotator->statistics());
      std::string rate;
      if (annotate_seconds > 0 && words_before >= 0)
        rate = ", " + format_rate(static_cast<double>(words - words_before) / annotate_seconds) +
               " words/s";
      ctx.log().info("annotation: " + std::to_string(words) + " words annotated" + rate +
                     "; statistics in annotation.toml");
    }
    return annotate_seconds;
  }

  PrepareOptions options_;
};

}  // namespace

PluginSpec prepare_spec() {
  return PluginSpec{.name = "prepare",
                    .version = "2",
                    .summary =
                        "corpus -> WordPiece vocabulary -> packed token shards (train and "
                        "validation) with annotation sidecars",
                    .schema = PrepareOptions::schema(),
                    .config_sections = {}};
}

std::unique_ptr<Stage> make_prepare(const Options& options) {
  return std::make_unique<PrepareStage>(PrepareOptions::read(options));
}

}  // namespace dac::plugins
