// A small, strict JSON reader (RFC 8259) for the JSON files dacrun reads: safetensors headers,
// exported model descriptions. It builds a value tree; objects keep their members in file order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dac {

// Malformed JSON, or a value read as the wrong type. Callers add the file name.
class JsonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class JsonValue {
 public:
  enum class Type { Null, Bool, Int, Float, String, Array, Object };
  using Member = std::pair<std::string, JsonValue>;

  JsonValue() = default;  // null
  static JsonValue boolean(bool value);
  static JsonValue integer(std::int64_t value);
  static JsonValue real(double value);
  static JsonValue string(std::string value);
  static JsonValue array(std::vector<JsonValue> items);
  static JsonValue object(std::vector<Member> members);

  Type type() const { return type_; }
  static const char* type_name(Type type);  // "null", "boolean", "integer", "number", ...
  const char* type_name() const { return type_name(type_); }
  bool is_null() const { return type_ == Type::Null; }
  bool is_number() const { return type_ == Type::Int || type_ == Type::Float; }
  bool is_string() const { return type_ == Type::String; }
  bool is_array() const { return type_ == Type::Array; }
  bool is_object() const { return type_ == Type::Object; }

  // Scalar access; JsonError on a type mismatch. as_number accepts integers.
  bool as_bool() const;
  std::int64_t as_int() const;
  double as_number() const;
  const std::string& as_string() const;

  // Array items and object members (JsonError when the value is not of that type).
  const std::vector<JsonValue>& items() const;
  const std::vector<Member>& members() const;
  // The member named `key` of an object, or null when absent (JsonError when not an object).
  const JsonValue* find(std::string_view key) const;

 private:
  Type type_ = Type::Null;
  bool bool_ = false;
  std::int64_t int_ = 0;
  double float_ = 0.0;
  std::string string_;
  std::vector<JsonValue> items_;
  std::vector<Member> members_;
};

// Parses one JSON document (surrounding whitespace allowed). Numbers without a fraction or
// exponent that fit 64 bits are integers. Duplicate object keys are rejected. Throws JsonError
// "at byte N: ..." (0-based offset into `text`).
JsonValue parse_json(std::string_view text);

}  // namespace dac
