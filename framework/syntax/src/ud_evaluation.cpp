// CoNLL 2018 shared-task scoring (the definitions of conll18_ud_eval.py): character spans over the
// whitespace-free text, span F1 for tokens and sentences, word alignment (LCS inside multiword
// spans) for words, UPOS, UAS and LAS.
#include "dac/syntax/ud_evaluation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "dac/error.hpp"
#include "dac/syntax/conllu.hpp"
#include "text_scan.hpp"

namespace dac::syntax {

namespace {

struct Span {
  std::size_t begin = 0, end = 0;
};

struct UdWord {
  Span span;               // the span of its surface token
  bool multiword = false;  // part of a multiword token
  std::string form;        // lower-cased, for alignment inside multiword spans
  const Word* word = nullptr;
  long parent = -1;  // index in UdText::words of the head; -1 for the root
};

// One side of the comparison, as conll18_ud_eval.py loads it.
struct UdText {
  std::string characters;  // every form concatenated, whitespace removed
  std::vector<Span> tokens, sentences;
  std::vector<std::size_t> sentence_of_character_begin;  // first character of each sentence
  std::vector<UdWord> words;
};

// Whitespace of any kind (ASCII and Unicode space separators) is removed from forms.
std::string without_whitespace(std::string_view form) {
  std::string out;
  out.reserve(form.size());
  for (std::size_t at = 0; at < form.size();) {
    const detail::CodePoint cp = detail::decode_at(form, at);
    const char32_t c = cp.value;
    const bool space =
        cp.valid &&
        (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F || c == 0x3000);
    if (!space) out.append(form.substr(at, cp.size));
    at += cp.size;
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = detail::ascii_lower(c);
  return out;
}

std::string universal(std::string_view deprel) {
  return std::string(deprel.substr(0, deprel.find(':')));
}

// The number of words of the multiword token `line` ("3-4" -> 2); 0 when malformed.
std::size_t multiword_size(const ExtraLine& line) {
  const std::string& id = line.columns[0];
  const std::size_t dash = id.find('-');
  if (dash == std::string::npos) return 0;
  const long first = std::strtol(id.c_str(), nullptr, 10);
  const long last = std::strtol(id.c_str() + dash + 1, nullptr, 10);
  return last >= first ? static_cast<std::size_t>(last - first + 1) : 0;
}

std::string sentence_label(const std::vector<Sentence>& sentences, std::size_t index) {
  if (index >= sentences.size()) return "after the last sentence";
  const auto id = comment_value(sentences[index], "sent_id");
  return id ? "sentence '" + *id + "'" : "sentence " + std::to_string(index + 1);
}

UdText load(const std::vector<Sentence>& sentences, std::string_view side) {
  UdText text;
  for (std::size_t s = 0; s < sentences.size(); ++s) {
    const Sentence& sentence = sentences[s];
    const std::size_t sentence_begin = text.characters.size();
    const std::size_t first_word = text.words.size();
    auto extra = sentence.extra_lines.begin();
    const auto add_token = [&](std::string_view form) {
      const std::string clean = without_whitespace(form);
      if (clean.empty())
        throw UserError(std::string(side) + " " + sentence_label(sentences, s) +
                        ": a form is empty or only whitespace");
      text.tokens.push_back({text.characters.size(), text.characters.size() + clean.size()});
      text.characters += clean;
      return text.tokens.back();
    };
    for (std::size_t i = 0; i < sentence.words.size();) {
      std::size_t count = 0;
      std::string_view surface;
      for (; extra != sentence.extra_lines.end() && extra->before <= i; ++extra) {
        if (extra->before != i || extra->kind != ExtraLine::Kind::multiword_token) continue;
        count = std::min(multiword_size(*extra), sentence.words.size() - i);
        surface = extra->columns[1];
      }
      const bool multiword = count > 0;
      const Span span = add_token(multiword ? surface : sentence.words[i].form);
      for (std::size_t k = 0; k < std::max<std::size_t>(count, 1); ++k, ++i) {
        const Word& word = sentence.words[i];
        text.words.push_back({span, multiword, lower(without_whitespace(word.form)), &word,
                              word.head < 0 ? -1L : static_cast<long>(first_word + word.head)});
      }
    }
    if (text.characters.size() > sentence_begin)
      text.sentences.push_back({sentence_begin, text.characters.size()});
    text.sentence_of_character_begin.push_back(sentence_begin);
  }
  return text;
}

// The index of the sentence holding character `at`.
std::size_t sentence_at(const UdText& text, std::size_t at) {
  const auto& begins = text.sentence_of_character_begin;
  const auto it = std::upper_bound(begins.begin(), begins.end(), at);
  return it == begins.begin() ? 0 : static_cast<std::size_t>(it - begins.begin() - 1);
}

// The first `count` characters (bytes, not cutting a UTF-8 sequence short) of text from `at`.
std::string excerpt(const std::string& text, std::size_t at, std::size_t count) {
  std::size_t end = at;
  for (std::size_t n = 0; end < text.size() && n < count; ++n)
    end += detail::decode_at(text, end).size;
  return text.substr(at, end - at);
}

void check_same_text(const UdText& gold, const UdText& system,
                     const std::vector<Sentence>& gold_sentences,
                     const std::vector<Sentence>& system_sentences) {
  if (gold.characters == system.characters) return;
  const auto [gold_it, system_it] =
      std::mismatch(gold.characters.begin(), gold.characters.end(), system.characters.begin(),
                    system.characters.end());
  std::size_t at = static_cast<std::size_t>(gold_it - gold.characters.begin());
  while (at > 0 && (static_cast<unsigned char>(gold.characters[at]) & 0xC0) == 0x80) --at;
  std::size_t character = 0;
  for (std::size_t i = 0; i < at; i += detail::decode_at(gold.characters, i).size) ++character;
  throw UserError(fmt::format(
      "the gold and system texts differ (whitespace ignored) at character {}: gold {} has "
      "'{}', system {} has '{}'",
      character,
      at < gold.characters.size() ? sentence_label(gold_sentences, sentence_at(gold, at))
                                  : std::string("(end of text)"),
      excerpt(gold.characters, at, 20),
      at < system.characters.size() ? sentence_label(system_sentences, sentence_at(system, at))
                                    : std::string("(end of text)"),
      excerpt(system.characters, at, 20)));
}

UdScore spans_score(const std::vector<Span>& gold, const std::vector<Span>& system) {
  UdScore score{.gold = gold.size(), .system = system.size()};
  std::size_t g = 0, s = 0;
  while (g < gold.size() && s < system.size()) {
    if (system[s].begin < gold[g].begin) {
      ++s;
    } else if (gold[g].begin < system[s].begin) {
      ++g;
    } else {
      score.correct += gold[g].end == system[s].end;
      ++g;
      ++s;
    }
  }
  return score;
}

// Word alignment of conll18_ud_eval.py: equal spans outside multiword tokens; inside a span that
// multiword tokens cover, the longest common subsequence of the lower-cased forms.
class Aligner {
 public:
  Aligner(const UdText& gold, const UdText& system)
      : gold_(gold.words), system_(system.words), system_to_gold_(system.words.size(), -2) {}

  // For each system word, the index of its gold word, or -2 when not aligned.
  std::vector<long> run() {
    std::size_t g = 0, s = 0;
    while (g < gold_.size() && s < system_.size()) {
      if (gold_[g].multiword || system_[s].multiword) {
        const auto [gs, ss] = multiword_span(g, s);
        align_lcs(gs, g, ss, s);
      } else if (gold_[g].span.begin == system_[s].span.begin &&
                 gold_[g].span.end == system_[s].span.end) {
        system_to_gold_[s++] = static_cast<long>(g++);
      } else if (gold_[g].span.begin <= system_[s].span.begin) {
        ++g;
      } else {
        ++s;
      }
    }
    return std::move(system_to_gold_);
  }

 private:
  static bool beyond_end(const std::vector<UdWord>& words, std::size_t i, std::size_t end) {
    if (i >= words.size()) return true;
    if (words[i].multiword) return words[i].span.begin >= end;
    return words[i].span.end > end;
  }

  static std::size_t extend_end(const UdWord& word, std::size_t end) {
    return word.multiword && word.span.end > end ? word.span.end : end;
  }

  // Moves g and s past the multiword span starting there; returns where it starts.
  std::pair<std::size_t, std::size_t> multiword_span(std::size_t& g, std::size_t& s) const {
    std::size_t end;
    if (gold_[g].multiword) {
      end = gold_[g].span.end;
      if (!system_[s].multiword && system_[s].span.begin < gold_[g].span.begin) ++s;
    } else {
      end = system_[s].span.end;
      if (!gold_[g].multiword && gold_[g].span.begin < system_[s].span.begin) ++g;
    }
    const std::pair start{g, s};
    while (!beyond_end(gold_, g, end) || !beyond_end(system_, s, end)) {
      if (g < gold_.size() &&
          (s >= system_.size() || gold_[g].span.begin <= system_[s].span.begin)) {
        end = extend_end(gold_[g++], end);
      } else {
        end = extend_end(system_[s++], end);
      }
    }
    return start;
  }

  void align_lcs(std::size_t gs, std::size_t ge, std::size_t ss, std::size_t se) {
    if (ge <= gs || se <= ss) return;
    const std::size_t rows = ge - gs, columns = se - ss;
    std::vector<std::uint32_t> lcs(rows * columns, 0);
    const auto at = [&](std::size_t g, std::size_t s) -> std::uint32_t {
      return g < rows && s < columns ? lcs[g * columns + s] : 0;
    };
    for (std::size_t g = rows; g-- > 0;) {
      for (std::size_t s = columns; s-- > 0;) {
        std::uint32_t value = 0;
        if (gold_[gs + g].form == system_[ss + s].form) value = 1 + at(g + 1, s + 1);
        lcs[g * columns + s] = std::max({value, at(g + 1, s), at(g, s + 1)});
      }
    }
    std::size_t g = 0, s = 0;
    while (g < rows && s < columns) {
      if (gold_[gs + g].form == system_[ss + s].form) {
        system_to_gold_[ss + s] = static_cast<long>(gs + g);
        ++g;
        ++s;
      } else if (at(g, s) == at(g + 1, s)) {
        ++g;
      } else {
        ++s;
      }
    }
  }

  const std::vector<UdWord>& gold_;
  const std::vector<UdWord>& system_;
  std::vector<long> system_to_gold_;
};

}  // namespace

double UdScore::precision() const {
  return system ? static_cast<double>(correct) / static_cast<double>(system) : 0.0;
}

double UdScore::recall() const {
  return gold ? static_cast<double>(correct) / static_cast<double>(gold) : 0.0;
}

double UdScore::f1() const {
  return gold + system ? 2.0 * static_cast<double>(correct) / static_cast<double>(gold + system)
                       : 0.0;
}

UdEvaluation evaluate_ud(const std::vector<Sentence>& gold, const std::vector<Sentence>& system) {
  const UdText gold_text = load(gold, "gold");
  const UdText system_text = load(system, "system");
  check_same_text(gold_text, system_text, gold, system);

  UdEvaluation result;
  result.tokens = spans_score(gold_text.tokens, system_text.tokens);
  result.sentences = spans_score(gold_text.sentences, system_text.sentences);
  const std::vector<long> system_to_gold = Aligner(gold_text, system_text).run();
  for (UdScore* score :
       {&result.words, &result.upos, &result.uas, &result.las, &result.las_with_subtypes}) {
    score->gold = gold_text.words.size();
    score->system = system_text.words.size();
  }
  for (std::size_t s = 0; s < system_to_gold.size(); ++s) {
    if (system_to_gold[s] < 0) continue;
    const UdWord& system_word = system_text.words[s];
    const UdWord& gold_word = gold_text.words[static_cast<std::size_t>(system_to_gold[s])];
    ++result.words.correct;
    if (system_word.word->upos == gold_word.word->upos) ++result.upos.correct;
    const long system_head = system_word.parent < 0 ? -1 : system_to_gold[system_word.parent];
    if (system_head != gold_word.parent) continue;
    ++result.uas.correct;
    if (universal(system_word.word->deprel) == universal(gold_word.word->deprel))
      ++result.las.correct;
    if (system_word.word->deprel == gold_word.word->deprel) ++result.las_with_subtypes.correct;
  }
  return result;
}

std::string format_ud_evaluation(const UdEvaluation& evaluation) {
  std::string out =
      "Metric       | Precision |    Recall |  F1 Score\n"
      "-------------+-----------+-----------+-----------\n";
  const auto line = [&](std::string_view name, const UdScore& score) {
    out += fmt::format("{:<13}|{:10.2f} |{:10.2f} |{:10.2f}\n", name, 100 * score.precision(),
                       100 * score.recall(), 100 * score.f1());
  };
  line("Tokens", evaluation.tokens);
  line("Sentences", evaluation.sentences);
  line("Words", evaluation.words);
  line("UPOS", evaluation.upos);
  line("UAS", evaluation.uas);
  line("LAS", evaluation.las);
  line("LAS+subtypes", evaluation.las_with_subtypes);
  return out;
}

}  // namespace dac::syntax
