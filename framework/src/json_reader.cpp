// A small, strict recursive-descent JSON reader that builds a JsonValue tree.
#include "dac/json_reader.hpp"

#include <charconv>
#include <cmath>
#include <set>

#include "dac/json_chars.hpp"

namespace dac {
namespace {

constexpr int kMaxDepth = 512;

using json_chars::hex_value;
using json_chars::is_digit;
using json_chars::is_space;

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  JsonValue document() {
    skip_space();
    JsonValue value = parse_value(0);
    skip_space();
    if (!at_end()) fail("unexpected text after the JSON value");
    return value;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void skip_space() {
    while (!at_end() && is_space(text_[pos_])) ++pos_;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw JsonError("at byte " + std::to_string(pos_) + ": " + what);
  }
  void expect(char c) {
    if (peek() != c) {
      if (at_end()) fail(std::string("expected '") + c + "', got the end of the text");
      fail(std::string("expected '") + c + "', got '" + peek() + "'");
    }
    ++pos_;
  }
  void expect_word(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) fail("invalid literal");
    pos_ += word.size();
  }

  JsonValue parse_value(int depth) {
    if (depth > kMaxDepth) fail("nested too deeply");
    switch (peek()) {
      case '{':
        return parse_object(depth);
      case '[':
        return parse_array(depth);
      case '"':
        return JsonValue::string(parse_string());
      case 't':
        expect_word("true");
        return JsonValue::boolean(true);
      case 'f':
        expect_word("false");
        return JsonValue::boolean(false);
      case 'n':
        expect_word("null");
        return JsonValue();
      default:
        if (peek() == '-' || is_digit(peek())) return parse_number();
        if (at_end()) fail("expected a value, got the end of the text");
        fail(std::string("expected a value, got '") + peek() + "'");
    }
  }

  JsonValue parse_object(int depth) {
    expect('{');
    std::vector<JsonValue::Member> members;
    std::set<std::string, std::less<>> seen;
    skip_space();
    if (peek() == '}') {
      ++pos_;
      return JsonValue::object(std::move(members));
    }
    while (true) {
      skip_space();
      const std::size_t key_at = pos_;
      if (peek() != '"') fail("expected a string key");
      std::string key = parse_string();
      if (!seen.insert(key).second) {
        pos_ = key_at;
        fail("duplicate key \"" + key + "\"");
      }
      skip_space();
      expect(':');
      skip_space();
      JsonValue value = parse_value(depth + 1);
      members.emplace_back(std::move(key), std::move(value));
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect('}');
      return JsonValue::object(std::move(members));
    }
  }

  JsonValue parse_array(int depth) {
    expect('[');
    std::vector<JsonValue> items;
    skip_space();
    if (peek() == ']') {
      ++pos_;
      return JsonValue::array(std::move(items));
    }
    while (true) {
      skip_space();
      items.push_back(parse_value(depth + 1));
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect(']');
      return JsonValue::array(std::move(items));
    }
  }

  std::uint32_t parse_hex4() {
    if (pos_ + 4 > text_.size()) fail("truncated \\u escape");
    std::uint32_t code = 0;
    for (int i = 0; i < 4; ++i) {
      const int digit = hex_value(text_[pos_]);
      if (digit < 0) fail("invalid hex digit in \\u escape");
      code = code * 16 + static_cast<std::uint32_t>(digit);
      ++pos_;
    }
    return code;
  }

  std::string parse_string() {
    expect('"');
    std::string out;
    while (true) {
      if (at_end()) fail("unterminated string");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in string");
      if (c != '\\') {
        out += c;
        ++pos_;
        continue;
      }
      ++pos_;
      if (at_end()) fail("unterminated string");
      const char escape = text_[pos_++];
      switch (escape) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          std::uint32_t code = parse_hex4();
          if (code >= 0xDC00 && code <= 0xDFFF) fail("lone low surrogate in \\u escape");
          if (code >= 0xD800 && code <= 0xDBFF) {
            if (text_.substr(pos_, 2) != "\\u") fail("high surrogate without a low surrogate");
            pos_ += 2;
            const std::uint32_t low = parse_hex4();
            if (low < 0xDC00 || low > 0xDFFF) fail("high surrogate without a low surrogate");
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(out, code);
          break;
        }
        default:
          --pos_;
          fail(std::string("invalid escape '\\") + escape + "'");
      }
    }
  }

  JsonValue parse_number() {
    const std::size_t start = pos_;
    bool integral = true;
    if (peek() == '-') ++pos_;
    if (peek() == '0') {
      ++pos_;
      if (is_digit(peek())) fail("invalid number: leading zero");
    } else if (is_digit(peek())) {
      while (is_digit(peek())) ++pos_;
    } else {
      fail("invalid number");
    }
    if (peek() == '.') {
      integral = false;
      ++pos_;
      if (!is_digit(peek())) fail("invalid number: digits expected after '.'");
      while (is_digit(peek())) ++pos_;
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!is_digit(peek())) fail("invalid number: digits expected in the exponent");
      while (is_digit(peek())) ++pos_;
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    if (integral) {
      std::int64_t value = 0;
      const auto [end, error] = std::from_chars(first, last, value);
      if (error == std::errc() && end == last) return JsonValue::integer(value);
    }
    double value = 0;
    const auto [end, error] = std::from_chars(first, last, value);
    if (error == std::errc::result_out_of_range || !std::isfinite(value)) {
      pos_ = start;
      fail("number out of range");
    }
    if (error != std::errc() || end != last) {
      pos_ = start;
      fail("invalid number");
    }
    return JsonValue::real(value);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

[[noreturn]] void wrong_type(const char* wanted, const JsonValue& value) {
  throw JsonError(std::string("expected ") + wanted + ", got " + value.type_name());
}

}  // namespace

JsonValue JsonValue::boolean(bool value) {
  JsonValue out;
  out.type_ = Type::Bool;
  out.bool_ = value;
  return out;
}

JsonValue JsonValue::integer(std::int64_t value) {
  JsonValue out;
  out.type_ = Type::Int;
  out.int_ = value;
  return out;
}

JsonValue JsonValue::real(double value) {
  JsonValue out;
  out.type_ = Type::Float;
  out.float_ = value;
  return out;
}

JsonValue JsonValue::string(std::string value) {
  JsonValue out;
  out.type_ = Type::String;
  out.string_ = std::move(value);
  return out;
}

JsonValue JsonValue::array(std::vector<JsonValue> items) {
  JsonValue out;
  out.type_ = Type::Array;
  out.items_ = std::move(items);
  return out;
}

JsonValue JsonValue::object(std::vector<Member> members) {
  JsonValue out;
  out.type_ = Type::Object;
  out.members_ = std::move(members);
  return out;
}

const char* JsonValue::type_name(Type type) {
  switch (type) {
    case Type::Null:
      return "null";
    case Type::Bool:
      return "boolean";
    case Type::Int:
      return "integer";
    case Type::Float:
      return "number";
    case Type::String:
      return "string";
    case Type::Array:
      return "array";
    case Type::Object:
      return "object";
  }
  return "unknown";
}

bool JsonValue::as_bool() const {
  if (type_ != Type::Bool) wrong_type("boolean", *this);
  return bool_;
}

std::int64_t JsonValue::as_int() const {
  if (type_ != Type::Int) wrong_type("integer", *this);
  return int_;
}

double JsonValue::as_number() const {
  if (type_ == Type::Int) return static_cast<double>(int_);
  if (type_ != Type::Float) wrong_type("number", *this);
  return float_;
}

const std::string& JsonValue::as_string() const {
  if (type_ != Type::String) wrong_type("string", *this);
  return string_;
}

const std::vector<JsonValue>& JsonValue::items() const {
  if (type_ != Type::Array) wrong_type("array", *this);
  return items_;
}

const std::vector<JsonValue::Member>& JsonValue::members() const {
  if (type_ != Type::Object) wrong_type("object", *this);
  return members_;
}

const JsonValue* JsonValue::find(std::string_view key) const {
  for (const Member& member : members())
    if (member.first == key) return &member.second;
  return nullptr;
}

JsonValue parse_json(std::string_view text) {
  return Parser(text).document();
}

}  // namespace dac
