// Splitting raw text into tokens with English-EWT conventions: words with their internal
// punctuation ("U.S.", "3.5", "1,000", "10:30", "e-mail", "PG&E"), URLs, e-mail addresses and
// file names whole, emoticons, runs of terminal punctuation ("...", "?!"), other punctuation one
// character at a time.
#include "word_tokenizer.hpp"

#include <algorithm>
#include <array>

#include "contractions.hpp"
#include "text_scan.hpp"

namespace dac::syntax::detail {

namespace {

// Abbreviations that keep their period, as written (a lower-case entry also matches with an
// upper-case first letter). Titles keep it always; the others give it up when a sentence seems to
// end after them ("... Inc. This ..."), as English-EWT does.
constexpr std::array<std::string_view, 26> kTitles = {
    "Mr",  "Mrs", "Ms",  "Dr",  "St",  "Jr", "Sr", "Prof", "Gen", "Lt", "Col",    "Sgt",  "Capt",
    "Adm", "Rev", "Gov", "Sen", "Rep", "Ft", "Mt", "Nos",  "vs",  "cf", "Messrs", "Pres", "Cmdr"};
constexpr std::array<std::string_view, 34> kAbbreviations = {
    "etc",   "Inc", "Co",   "Corp",   "Ltd",  "Bros", "Jan", "Feb", "Mar",  "Apr", "Jun", "Jul",
    "Aug",   "Sep", "Sept", "Oct",    "Nov",  "Dec",  "Mon", "Tue", "Tues", "Wed", "Thu", "Thur",
    "Thurs", "Fri", "Sat",  "approx", "dept", "est",  "al",  "Ave", "Blvd", "No"};

// Units written right after a number, split from it ("5pm" -> "5" "pm", "$170m" -> "170" "m").
constexpr std::array<std::string_view, 22> kUnits = {
    "am", "pm",  "m",  "k",  "b",  "bn",  "mm",  "cm", "km",  "kg", "g",
    "lb", "lbs", "ft", "mb", "gb", "mph", "hrs", "hr", "min", "ml", "x"};

// Prefixes that keep their hyphen ("e-mail", "non-commercial", "re-read").
constexpr std::array<std::string_view, 24> kHyphenPrefixes = {
    "e",     "non",   "pre",   "post",   "pro",   "anti", "co",      "re",
    "multi", "ex",    "semi",  "mid",    "neo",   "sub",  "counter", "over",
    "cross", "intra", "inter", "psycho", "socio", "arch", "mis",     "un"};

// Emoticons kept whole when they stand between spaces or punctuation.
constexpr std::array<std::string_view, 22> kEmoticons = {
    ":-)", ":-(", ":-D", ":-P", ":-p", ";-)", ":)", ":(",  ":D", ":P", ":p",
    ";)",  ":/",  ":o",  ":O",  "^_^", "^^",  "<3", ":'(", "XD", "=)", ":-/"};

// File extensions and top-level domains that make a dotted word a file name or host name.
constexpr std::array<std::string_view, 20> kDottedEndings = {
    ".com", ".org", ".net", ".edu", ".gov", ".uk",  ".htm", ".html", ".doc",  ".xls",
    ".pdf", ".txt", ".ppt", ".zip", ".jpg", ".gif", ".exe", ".mil",  ".info", ".us"};

bool equals_lower(std::string_view text, std::string_view lower_word) {
  if (text.size() != lower_word.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (ascii_lower(text[i]) != lower_word[i]) return false;
  return true;
}

bool ends_with_lower(std::string_view text, std::string_view lower_suffix) {
  return text.size() >= lower_suffix.size() &&
         equals_lower(text.substr(text.size() - lower_suffix.size()), lower_suffix);
}

bool starts_with_lower(std::string_view text, std::string_view lower_prefix) {
  return text.size() >= lower_prefix.size() &&
         equals_lower(text.substr(0, lower_prefix.size()), lower_prefix);
}

// `word` as listed, or a lower-case entry capitalised.
template <std::size_t N>
bool in_list(std::string_view word, const std::array<std::string_view, N>& list) {
  for (std::string_view entry : list) {
    if (word == entry) return true;
    if (!entry.empty() && is_ascii_lower(entry[0]) && word.size() == entry.size() &&
        ascii_lower(word[0]) == entry[0] && word.substr(1) == entry.substr(1))
      return true;
  }
  return false;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_ascii_digit);
}

// "U.S", "e.g", "a.m", "D.C": single letters separated by periods.
bool is_dotted_initials(std::string_view word) {
  if (word.size() < 3 || word.size() % 2 == 0) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (i % 2 == 0 ? !is_ascii_letter(word[i]) : word[i] != '.') return false;
  return true;
}

bool is_closing_punctuation(char c) {
  return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' ||
         c == ']' || c == '}' || c == '"' || c == '\'' || c == '>';
}

bool is_opening_punctuation(char c) {
  return c == '(' || c == '[' || c == '{' || c == '"' || c == '\'' || c == '<';
}

// A web address: "http://...", "www....".
bool is_url(std::string_view core) {
  return starts_with_lower(core, "www.") || core.find("://") != std::string_view::npos;
}

// A URL, e-mail address, host or file name: kept as one token.
bool is_address(std::string_view core) {
  if (core.size() < 4) return false;
  if (is_url(core)) return true;
  const std::size_t at = core.find('@');
  if (at != std::string_view::npos && at > 0 && core.find('.', at) != std::string_view::npos)
    return true;
  if (core.find('.') == std::string_view::npos) return false;
  for (char c : core)
    if (!is_ascii_letter(c) && !is_ascii_digit(c) && c != '.' && c != '-' && c != '_' && c != '/' &&
        c != '#')
      return false;
  for (std::string_view ending : kDottedEndings) {
    if (ends_with_lower(core, ending)) return true;
    const std::size_t found = core.find(ending);
    if (found != std::string_view::npos && found + ending.size() < core.size() &&
        core[found + ending.size()] == '/')
      return true;
  }
  return false;
}

class Tokenizer {
 public:
  explicit Tokenizer(std::string_view text) : text_(text) {}

  std::vector<Token> run() {
    tokens_.reserve(text_.size() / 4 + 16);
    std::size_t at = 0;
    while (at < text_.size()) {
      while (at < text_.size() && is_ascii_space(text_[at])) ++at;
      std::size_t end = at;
      while (end < text_.size() && !is_ascii_space(text_[end])) ++end;
      if (end > at) chunk(at, end);
      at = end;
    }
    return std::move(tokens_);
  }

 private:
  // One run of non-space bytes [begin, end).
  void chunk(std::size_t begin, std::size_t end) {
    std::size_t core_begin = begin, core_end = end;
    while (core_begin < core_end && is_opening_punctuation(text_[core_begin])) ++core_begin;
    while (core_end > core_begin && is_closing_punctuation(text_[core_end - 1])) --core_end;
    if (core_end > core_begin && is_address(text_.substr(core_begin, core_end - core_begin))) {
      scan(begin, core_begin);
      emit(core_begin, core_end);
      const std::string_view core = text_.substr(core_begin, core_end - core_begin);
      tokens_.back().url = is_url(core);
      tokens_.back().email = !tokens_.back().url && core.find('@') != std::string_view::npos;
      scan(core_end, end);
      return;
    }
    scan(begin, end);
  }

  void scan(std::size_t at, std::size_t end) {
    while (at < end) at = next_token(at, end);
  }

  // Emits the token starting at `at` and returns where it ends.
  std::size_t next_token(std::size_t at, std::size_t end) {
    if (const std::size_t size = emoticon_at(at, end)) {
      emit(at, at + size);
      tokens_.back().emoticon = true;
      return at + size;
    }
    const CodePoint cp = decode_at(text_, at);
    if (is_word_char(cp)) return word(at, at, end);
    const char c = text_[at];
    // "'72", "’90s", "+44": a sign that belongs to the number after it.
    if ((is_apostrophe(cp) && digits_at(at + cp.size, end) == 2) ||
        (c == '+' && digits_at(at + 1, end) > 0))
      return word(at, at + cp.size, end);
    if (c == '.' || c == '!' || c == '?') {
      std::size_t stop = at + 1;
      while (stop < end && (text_[stop] == '.' || text_[stop] == '!' || text_[stop] == '?')) ++stop;
      return emit(at, stop);
    }
    if (c == '-' || c == '*' || c == '=' || c == '_' || c == '~' || c == '#' || c == '+' ||
        c == '<' || c == '>') {
      std::size_t stop = at + 1;
      while (stop < end && text_[stop] == c) ++stop;
      return emit(at, stop);
    }
    if (is_quote(cp)) {  // '' ’’ ‘’: a double quote written with two single ones
      std::size_t stop = at + cp.size;
      while (stop < end && is_quote(decode_at(text_, stop))) stop += decode_at(text_, stop).size;
      return emit(at, stop);
    }
    return emit(at, at + cp.size);
  }

  static bool is_quote(const CodePoint& cp) {
    return cp.value == '\'' || cp.value == U'\u2018' || cp.value == U'\u2019';
  }

  // The number of ASCII digits from `at` (up to 3).
  std::size_t digits_at(std::size_t at, std::size_t end) const {
    std::size_t count = 0;
    while (at + count < end && count < 3 && is_ascii_digit(text_[at + count])) ++count;
    return count;
  }

  std::size_t emoticon_at(std::size_t at, std::size_t end) const {
    const char c = text_[at];
    if (c != ':' && c != ';' && c != '^' && c != '<' && c != 'X' && c != '=') return 0;
    if (at > 0 && !is_ascii_space(text_[at - 1]) && is_word_char(decode_at(text_, at - 1)))
      return 0;
    for (std::string_view emoticon : kEmoticons) {
      if (text_.substr(at, std::min(end - at, emoticon.size())) != emoticon) continue;
      const std::size_t stop = at + emoticon.size();
      if (stop < end && is_word_char(decode_at(text_, stop))) continue;
      return emoticon.size();
    }
    return 0;
  }

  bool word_char_at(std::size_t at, std::size_t end) const {
    return at < end && is_word_char(decode_at(text_, at));
  }

  // A word starting at `begin` (its word characters start at `at`): word characters joined by
  // internal punctuation.
  std::size_t word(std::size_t begin, std::size_t at, std::size_t end) {
    while (true) {
      const std::size_t part_begin = at;
      while (at < end) {
        const CodePoint cp = decode_at(text_, at);
        if (!is_word_char(cp)) break;
        at += cp.size;
      }
      const std::string_view part = text_.substr(part_begin, at - part_begin);
      const std::size_t joined = join_at(begin, part, at, end);
      if (joined == 0) break;
      at += joined;
    }
    if (const std::size_t unit = unit_size(begin, at)) {
      emit(begin, at - unit);
      begin = at - unit;
    }
    Token token{.begin = begin, .end = at};
    // A trailing apostrophe after "s" is a plural possessive ("parents'").
    if (at < end && at - begin >= 3 && ascii_lower(text_[at - 1]) == 's') {
      const CodePoint cp = decode_at(text_, at);
      if ((cp.value == '\'' || cp.value == U'\u2019') && !word_char_at(at + cp.size, end)) {
        at += cp.size;
        token.end = at;
      }
    }
    if (at < end && text_[at] == '.' && keeps_period(text_.substr(begin, at - begin), at + 1)) {
      token.end = ++at;
      token.abbreviation = true;
    }
    split_contraction(text_, token);
    tokens_.push_back(token);
    return at;
  }

  // Whether the abbreviation `form` keeps the period that follows it; `after` is where the text
  // goes on after the period.
  bool keeps_period(std::string_view form, std::size_t after) const {
    if (in_list(form, kTitles) || (form.size() == 1 && is_ascii_upper(form[0]))) return true;
    const bool initials = is_dotted_initials(form);
    if (!initials && !in_list(form, kAbbreviations)) return false;
    // "U.S." and "D.C." keep it before a capital; "U.S.A.", "p.m." and "Inc." do not.
    if (initials && form.size() == 3 && is_ascii_upper(form[0]) && is_ascii_upper(form[2]))
      return true;
    return !sentence_seems_to_end(after);
  }

  // The text from `at` is whitespace then a capital letter, or nothing.
  bool sentence_seems_to_end(std::size_t at) const {
    if (at < text_.size() && !is_ascii_space(text_[at])) return false;
    while (at < text_.size() && is_ascii_space(text_[at])) ++at;
    if (at == text_.size()) return true;
    return is_upper(decode_at(text_, at));
  }

  // The size of a unit written right after a number ("5pm", "170m"), or 0.
  std::size_t unit_size(std::size_t begin, std::size_t end) const {
    std::size_t letters = end;
    while (letters > begin && is_ascii_letter(text_[letters - 1])) --letters;
    if (letters == begin || letters == end || !is_ascii_digit(text_[letters - 1])) return 0;
    const std::string_view unit = text_.substr(letters, end - letters);
    for (std::string_view known : kUnits)
      if (equals_lower(unit, known)) return unit.size();
    return 0;
  }

  // The size of the punctuation at `at` that joins the word part `part` to more word characters,
  // or 0 when the word ends here.
  std::size_t join_at(std::size_t word_begin, std::string_view part, std::size_t at,
                      std::size_t end) const {
    if (at >= end) return 0;
    const CodePoint cp = decode_at(text_, at);
    const std::size_t after = at + cp.size;
    if (!word_char_at(after, end)) return 0;
    if (is_apostrophe(cp)) return cp.size;
    const char next = text_[after];
    switch (text_[at]) {
      case '.':
      case '@':
      case '_':
        return 1;
      case ',':
        return all_digits(part) && after + 3 <= end && all_digits(text_.substr(after, 3)) &&
                       !word_char_at(after + 3, end)
                   ? 1
                   : 0;
      case ':':
      case '/':
        return all_digits(part) && is_ascii_digit(next) ? 1 : 0;
      case '-':
        // Telephone numbers: "713-853-3989", "646-8420".
        if (part.size() == 3 && all_digits(part) && after + 3 <= end &&
            all_digits(text_.substr(after, 3)))
          return 1;
        if (part_begin_is_word_begin(word_begin, part) &&
            (is_ascii_letter(next) || is_ascii_digit(next))) {
          for (std::string_view prefix : kHyphenPrefixes)
            if (equals_lower(part, prefix)) return 1;
        }
        return 0;
      case '&':
        return !part.empty() && part.size() <= 3 &&
                       std::all_of(part.begin(), part.end(), is_ascii_upper) && is_ascii_upper(next)
                   ? 1
                   : 0;
      default:
        return 0;
    }
  }

  bool part_begin_is_word_begin(std::size_t word_begin, std::string_view part) const {
    return part.data() == text_.data() + word_begin;
  }

  std::size_t emit(std::size_t begin, std::size_t end) {
    tokens_.push_back(Token{.begin = begin, .end = end});
    tokens_.back().word_ends[0] = end;
    return end;
  }

  std::string_view text_;
  std::vector<Token> tokens_;
};

}  // namespace

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens = Tokenizer(text).run();
  for (Token& token : tokens)
    if (token.word_count == 1) token.word_ends[0] = token.end;
  return tokens;
}

}  // namespace dac::syntax::detail
