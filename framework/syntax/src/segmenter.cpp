// Sentence splitting over the tokens of the word tokenizer, and the assembly of the sentences
// that segment() returns.
#include "dac/syntax/segmenter.hpp"

#include <string>

#include "text_scan.hpp"
#include "word_tokenizer.hpp"

namespace dac::syntax {

namespace {

using detail::CodePoint;
using detail::decode_at;
using detail::Token;

// What the whitespace between two tokens says about a sentence boundary.
enum class Gap { none, space, line_break, blank_line };

Gap classify_gap(std::string_view text, std::size_t begin, std::size_t end) {
  if (begin == end) return Gap::none;
  Gap gap = Gap::space;
  bool after_newline = false;
  for (std::size_t i = begin; i < end; ++i) {
    if (text[i] == '\n') {
      if (after_newline) return Gap::blank_line;
      after_newline = true;
      gap = Gap::line_break;
    } else if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r') {
      after_newline = false;
    }
  }
  return gap;
}

// How strongly a token ends a sentence when a space follows it.
enum class Ending {
  none,
  // "...", "…", an e-mail address, an emoticon, ">>" (quoted mail), "AM" / "PM" after a time:
  // when a capital, an opening quote or bracket, or a digit follows.
  weak,
  // ".", "?", "!", "?!", a URL: unless punctuation that continues a sentence follows.
  strong,
};

// A number or a time ("5", "10:30").
bool is_numeric(std::string_view form) {
  return !form.empty() && detail::is_ascii_digit(form.front()) &&
         detail::is_ascii_digit(form.back());
}

// `previous` is the form of the token before (empty at the start of a sentence).
Ending ending_of(std::string_view form, const Token& token, std::string_view previous) {
  if (token.url) return Ending::strong;
  if (token.email || token.emoticon || form == "\u2026" || form == ">" || form == ">>")
    return Ending::weak;
  if ((form == "AM" || form == "PM" || form == "am" || form == "pm") && is_numeric(previous))
    return Ending::weak;
  bool only_periods = true;
  for (char c : form) {
    if (c != '.' && c != '!' && c != '?') return Ending::none;
    only_periods = only_periods && c == '.';
  }
  return only_periods && form.size() > 1 ? Ending::weak : Ending::strong;
}

bool is_closing(std::string_view form) {
  return form == "\"" || form == "'" || form == ")" || form == "]" || form == "}" ||
         form == "\u201D" || form == "\u2019" || form == "''" || form == "\u2019\u2019";
}

class Splitter {
 public:
  Splitter(std::string_view text, const SegmenterOptions& options)
      : text_(text), options_(options), tokens_(detail::tokenize(text)) {}

  std::vector<Sentence> run() {
    const std::size_t max_words = options_.max_sentence_words ? options_.max_sentence_words : 1;
    std::size_t first = 0, words = 0;
    Ending ending = Ending::none;  // how the sentence so far ends (closing quotes skipped)
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      const Token& token = tokens_[i];
      if (i > first && words + token.word_count > max_words) {
        close(first, i);
        first = i;
        words = 0;
      }
      words += token.word_count;
      const std::string_view form = text_.substr(token.begin, token.end - token.begin);
      const bool attached = i > first && tokens_[i - 1].end == token.begin;
      const std::string_view previous =
          i > first ? text_.substr(tokens_[i - 1].begin, tokens_[i - 1].end - tokens_[i - 1].begin)
                    : std::string_view();
      if (!(ending != Ending::none && attached && is_closing(form)))
        ending = ending_of(form, token, previous);
      // "1." and "2." number the items of a list.
      if (ending != Ending::none && i == first + 1 && form == "." && is_number(first))
        ending = Ending::none;
      if (i + 1 == tokens_.size() || ends_sentence(i, ending)) {
        close(first, i + 1);
        first = i + 1;
        words = 0;
        ending = Ending::none;
      }
    }
    return std::move(sentences_);
  }

 private:
  // Whether a sentence ends after token i.
  bool ends_sentence(std::size_t i, Ending ending) const {
    const Token& next = tokens_[i + 1];
    const Gap gap = classify_gap(text_, tokens_[i].end, next.begin);
    if (gap == Gap::blank_line && options_.blank_line_ends_sentence) return true;
    if (gap >= Gap::line_break && options_.newline_ends_sentence) return true;
    if (ending == Ending::none || gap == Gap::none) return false;
    const CodePoint first = decode_at(text_, next.begin);
    if (ending == Ending::strong) {
      const char c = text_[next.begin];
      return !(c == ',' || c == ';' || c == ':' || c == ')' || c == ']' || c == '}' || c == '.');
    }
    return detail::is_upper(first) || detail::is_opening(first) ||
           (first.value < 0x80 && detail::is_ascii_digit(static_cast<char>(first.value)));
  }

  bool is_number(std::size_t i) const {
    const Token& token = tokens_[i];
    if (token.end - token.begin > 3) return false;
    for (std::size_t at = token.begin; at < token.end; ++at)
      if (!detail::is_ascii_digit(text_[at])) return false;
    return true;
  }

  void close(std::size_t first, std::size_t last) {
    Sentence sentence;
    const std::size_t begin = tokens_[first].begin, end = tokens_[last - 1].end;
    sentence.text = std::string(text_.substr(begin, end - begin));
    std::size_t word_count = 0;
    for (std::size_t i = first; i < last; ++i) word_count += tokens_[i].word_count;
    sentence.words.reserve(word_count);
    for (std::size_t i = first; i < last; ++i) {
      const Token& token = tokens_[i];
      if (token.word_count > 1) {
        const std::size_t id = sentence.words.size() + 1;
        ExtraLine line;
        line.kind = ExtraLine::Kind::multiword_token;
        line.before = sentence.words.size();
        line.columns.fill("_");
        line.columns[0] = std::to_string(id) + "-" + std::to_string(id + token.word_count - 1);
        line.columns[1] = std::string(text_.substr(token.begin, token.end - token.begin));
        sentence.extra_lines.push_back(std::move(line));
      }
      std::size_t word_begin = token.begin;
      for (std::size_t w = 0; w < token.word_count; ++w) {
        const std::size_t word_end = token.word_ends[w];
        Word word;
        word.form = std::string(text_.substr(word_begin, word_end - word_begin));
        word.begin = word_begin;
        word.end = word_end;
        sentence.words.push_back(std::move(word));
        word_begin = word_end;
      }
    }
    sentences_.push_back(std::move(sentence));
  }

  std::string_view text_;
  const SegmenterOptions& options_;
  std::vector<Token> tokens_;
  std::vector<Sentence> sentences_;
};

}  // namespace

std::vector<Sentence> segment(std::string_view text, const SegmenterOptions& options) {
  return Splitter(text, options).run();
}

}  // namespace dac::syntax
