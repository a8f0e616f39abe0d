// A small, strict JSON scanner that decodes one top-level string field of a JSON object.
#include "json_field.hpp"

#include "dac/json_chars.hpp"
#include "dac/text/utf8.hpp"

namespace dac::text::detail {
namespace {

constexpr int kMaxDepth = 512;

using json_chars::hex_value;
using json_chars::is_digit;
using json_chars::is_space;

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  JsonFieldResult extract(std::string_view name, std::string& out) {
    JsonFieldResult result;
    std::string_view other_kind;  // of the field's last value, when not a string
    bool found = false;
    if (!scan_object(name, out, found, other_kind, result.replacements)) {
      result.status = JsonFieldStatus::kMalformed;
      result.message = "malformed JSON at column " + std::to_string(error_at_ + 1) + ": " + error_;
    } else if (!other_kind.empty()) {
      result.status = JsonFieldStatus::kNotString;
      result.message =
          "field \"" + std::string(name) + "\" is " + std::string(other_kind) + ", not a string";
    } else if (!found) {
      result.status = JsonFieldStatus::kMissing;
      result.message = "no field \"" + std::string(name) + "\"";
    } else {
      result.status = JsonFieldStatus::kFound;
    }
    return result;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void skip_space() {
    while (!at_end() && is_space(text_[pos_])) ++pos_;
  }
  bool fail(std::string what) {
    if (error_.empty()) error_ = std::move(what), error_at_ = pos_;
    return false;
  }
  bool expect(char c, const char* what) {
    if (peek() != c)
      return fail(at_end() ? std::string("line ends, expected ") + what
                           : std::string("expected ") + what);
    ++pos_;
    return true;
  }

  // The top-level object; records the field `name` in `out`/`found` or its kind in `other_kind`.
  bool scan_object(std::string_view name, std::string& out, bool& found,
                   std::string_view& other_kind, std::size_t& replacements) {
    skip_space();
    if (peek() != '{') return fail("expected a JSON object '{'");
    ++pos_;
    skip_space();
    if (peek() == '}') {
      ++pos_;
    } else {
      std::string key;
      for (;;) {
        skip_space();
        if (peek() != '"') return fail("expected a string key");
        if (!read_key(key)) return false;
        skip_space();
        if (!expect(':', "':' after a key")) return false;
        skip_space();
        if (key == name && peek() == '"') {
          out.clear();
          if (!decode_string(out, replacements)) return false;
          found = true;
          other_kind = {};
        } else {
          if (key == name) other_kind = kind_name(peek()), found = false;
          if (!skip_value(1)) return false;
        }
        skip_space();
        if (peek() == '}') break;
        if (!expect(',', "',' or '}' after a value")) return false;
      }
      ++pos_;
    }
    skip_space();
    return at_end() || fail("unexpected text after the object");
  }

  static std::string_view kind_name(char first) {
    switch (first) {
      case '{':
        return "an object";
      case '[':
        return "an array";
      case 't':
      case 'f':
        return "a boolean";
      case 'n':
        return "null";
      default:
        return "a number";
    }
  }

  // A key: compared raw when it holds no escapes (the usual case), decoded otherwise.
  bool read_key(std::string& key) {
    const std::size_t start = pos_ + 1;
    if (!skip_string()) return false;
    const std::string_view raw = text_.substr(start, pos_ - 1 - start);
    if (raw.find('\\') == std::string_view::npos) {
      key.assign(raw);
      return true;
    }
    pos_ = start - 1;
    key.clear();
    std::size_t ignored = 0;
    return decode_string(key, ignored);
  }

  bool skip_value(int depth) {
    if (depth > kMaxDepth) return fail("nested deeper than " + std::to_string(kMaxDepth));
    switch (peek()) {
      case '"':
        return skip_string();
      case '{':
        return skip_container(depth, '}', true);
      case '[':
        return skip_container(depth, ']', false);
      case 't':
        return skip_word("true");
      case 'f':
        return skip_word("false");
      case 'n':
        return skip_word("null");
      default:
        return skip_number();
    }
  }

  bool skip_container(int depth, char close, bool is_object) {
    ++pos_;
    skip_space();
    if (peek() == close) return ++pos_, true;
    for (;;) {
      skip_space();
      if (is_object) {
        if (peek() != '"') return fail("expected a string key");
        if (!skip_string()) return false;
        skip_space();
        if (!expect(':', "':' after a key")) return false;
        skip_space();
      }
      if (!skip_value(depth + 1)) return false;
      skip_space();
      if (peek() == close) return ++pos_, true;
      if (!expect(',', is_object ? "',' or '}'" : "',' or ']'")) return false;
    }
  }

  bool skip_word(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return fail("expected a JSON value");
    pos_ += word.size();
    return true;
  }

  bool skip_digits() {
    if (!is_digit(peek())) return fail("expected a digit");
    while (is_digit(peek())) ++pos_;
    return true;
  }

  bool skip_number() {
    if (peek() == '-') ++pos_;
    if (peek() == '0') {
      ++pos_;
    } else if (!is_digit(peek())) {
      return fail("expected a JSON value");
    } else {
      skip_digits();
    }
    if (peek() == '.' && (++pos_, !skip_digits())) return false;
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!skip_digits()) return false;
    }
    return true;
  }

  // Checks the string starting at the opening quote; leaves pos_ after the closing quote.
  bool skip_string() {
    ++pos_;
    for (;;) {
      const std::size_t special = find_special();
      pos_ = special;
      if (at_end()) return fail("unterminated string");
      const char c = text_[pos_];
      if (c == '"') return ++pos_, true;
      if (c != '\\') return fail("control character in a string");
      char32_t ignored;
      if (!read_escape(ignored)) return false;
    }
  }

  // Decodes the string starting at the opening quote into `out`; lone surrogates become U+FFFD.
  bool decode_string(std::string& out, std::size_t& replacements) {
    ++pos_;
    for (;;) {
      const std::size_t special = find_special();
      out.append(text_.data() + pos_, special - pos_);
      pos_ = special;
      if (at_end()) return fail("unterminated string");
      const char c = text_[pos_];
      if (c == '"') return ++pos_, true;
      if (c != '\\') return fail("control character in a string");
      char32_t code_point;
      if (!read_escape(code_point)) return false;
      if (code_point >= 0xD800 && code_point <= 0xDBFF) combine_surrogates(code_point);
      if (code_point >= 0xD800 && code_point <= 0xDFFF) {
        code_point = kReplacementCharacter;
        ++replacements;
      }
      append_utf8(code_point, out);
    }
  }

  // The first '"', '\\' or control character from pos_ (or the end).
  std::size_t find_special() const {
    std::size_t at = pos_;
    const std::size_t size = text_.size();
    while (at < size) {
      const auto c = static_cast<unsigned char>(text_[at]);
      if (c == '"' || c == '\\' || c < 0x20) break;
      ++at;
    }
    return at;
  }

  // After a high surrogate: joins a following \uDC00-\uDFFF escape into one code point.
  void combine_surrogates(char32_t& code_point) {
    if (text_.substr(pos_, 2) != "\\u") return;
    const std::size_t saved = pos_;
    char32_t low;
    if (read_escape(low) && low >= 0xDC00 && low <= 0xDFFF) {
      code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
    } else {
      pos_ = saved;
    }
  }

  // An escape starting at the backslash.
  bool read_escape(char32_t& code_point) {
    ++pos_;
    const char c = peek();
    ++pos_;
    switch (c) {
      case '"':
      case '\\':
      case '/':
        code_point = static_cast<char32_t>(c);
        return true;
      case 'b':
        return code_point = '\b', true;
      case 'f':
        return code_point = '\f', true;
      case 'n':
        return code_point = '\n', true;
      case 'r':
        return code_point = '\r', true;
      case 't':
        return code_point = '\t', true;
      case 'u':
        return read_hex4(code_point);
      default:
        --pos_;
        return fail("invalid escape in a string");
    }
  }

  bool read_hex4(char32_t& code_point) {
    code_point = 0;
    for (int i = 0; i < 4; ++i) {
      const int digit = hex_value(peek());
      if (digit < 0) return fail("expected 4 hex digits after \\u");
      code_point = code_point * 16 + static_cast<char32_t>(digit);
      ++pos_;
    }
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string error_;
  std::size_t error_at_ = 0;
};

}  // namespace

JsonFieldResult extract_json_string_field(std::string_view line, std::string_view name,
                                          std::string& out) {
  return Scanner(line).extract(name, out);
}

}  // namespace dac::text::detail
