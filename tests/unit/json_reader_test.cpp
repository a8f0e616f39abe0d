// Tests of the JSON reader: values of every type, string escapes, numbers, and the errors for
// malformed documents.
#include <gtest/gtest.h>

#include <string>

#include "dac/json_reader.hpp"
#include "support/test_support.hpp"

namespace {

using dac::JsonError;
using dac::JsonValue;
using dac::parse_json;
using dac::test::contains;
using dac::test::error_of;

TEST(JsonReader, ValuesOfEveryType) {
  const JsonValue value = parse_json(
      R"( {"a": 1, "b": -2.5e3, "c": "text", "d": [true, false, null], "e": {}, "f": []} )");
  ASSERT_TRUE(value.is_object());
  ASSERT_EQ(value.members().size(), 6u);
  EXPECT_EQ(value.members()[0].first, "a");  // file order
  EXPECT_EQ(value.find("a")->type(), JsonValue::Type::Int);
  EXPECT_EQ(value.find("a")->as_int(), 1);
  EXPECT_DOUBLE_EQ(value.find("a")->as_number(), 1.0);
  EXPECT_EQ(value.find("b")->type(), JsonValue::Type::Float);
  EXPECT_DOUBLE_EQ(value.find("b")->as_number(), -2500.0);
  EXPECT_EQ(value.find("c")->as_string(), "text");
  const auto& d = value.find("d")->items();
  ASSERT_EQ(d.size(), 3u);
  EXPECT_TRUE(d[0].as_bool());
  EXPECT_FALSE(d[1].as_bool());
  EXPECT_TRUE(d[2].is_null());
  EXPECT_TRUE(value.find("e")->members().empty());
  EXPECT_TRUE(value.find("f")->items().empty());
  EXPECT_EQ(value.find("g"), nullptr);
}

TEST(JsonReader, Numbers) {
  EXPECT_EQ(parse_json("9223372036854775807").as_int(), 9223372036854775807);
  EXPECT_EQ(parse_json("-0").as_int(), 0);
  // Too large for 64 bits: a float.
  EXPECT_EQ(parse_json("92233720368547758070").type(), JsonValue::Type::Float);
  EXPECT_DOUBLE_EQ(parse_json("0.125").as_number(), 0.125);
  EXPECT_DOUBLE_EQ(parse_json("1E2").as_number(), 100.0);
  for (const char* bad : {"01", "1.", "1e", "-", "-x", "1e999"})
    EXPECT_PRED2(contains, error_of<JsonError>([&] { parse_json(bad); }), "number") << bad;
  for (const char* bad : {".5", "+1"})
    EXPECT_PRED2(contains, error_of<JsonError>([&] { parse_json(bad); }), "expected a value")
        << bad;
}

TEST(JsonReader, StringEscapes) {
  EXPECT_EQ(parse_json(R"("a\"b\\c\/d\b\f\n\r\t")").as_string(), "a\"b\\c/d\b\f\n\r\t");
  EXPECT_EQ(parse_json(R"("\u00e9\u20ac")").as_string(), "\xc3\xa9\xe2\x82\xac");
  EXPECT_EQ(parse_json(R"("\ud83d\ude00")").as_string(), "\xf0\x9f\x98\x80");
  EXPECT_EQ(parse_json("\"\xc3\xa9\"").as_string(), "\xc3\xa9");  // raw UTF-8 passes through
  EXPECT_PRED2(contains, error_of<JsonError>([] { parse_json(R"("\ud83d")"); }), "surrogate");
  EXPECT_PRED2(contains, error_of<JsonError>([] { parse_json(R"("\x")"); }), "invalid escape");
  EXPECT_PRED2(contains, error_of<JsonError>([] { parse_json("\"a\nb\""); }), "control");
  EXPECT_PRED2(contains, error_of<JsonError>([] { parse_json(R"("abc)"); }), "unterminated");
}

TEST(JsonReader, MalformedDocuments) {
  EXPECT_PRED2(contains, error_of<JsonError>([] { parse_json(R"({"a" 1})"); }),
               "at byte 5: expected ':'");
  EXPECT_PRED2(contains, error_of<JsonError>([] { parse_json(R"({"a":1,})"); }), "string key");
  EXPECT_PRED2(contains, error_of<JsonError>([] { parse_json("[1,]"); }), "expected a value");
  EXPECT_PRED2(contains, error_of<JsonError>([] { parse_json("[1 2]"); }), "expected ']'");
  EXPECT_PRED2(contains, error_of<JsonError>([] { parse_json("{} x"); }), "after the JSON value");
  EXPECT_PRED2(contains, error_of<JsonError>([] { parse_json(""); }), "end of the text");
  EXPECT_PRED2(contains, error_of<JsonError>([] { parse_json("tru"); }), "invalid literal");
  EXPECT_PRED2(contains, error_of<JsonError>([] { parse_json(R"({"a":1,"a":2})"); }),
               "duplicate key \"a\"");
  EXPECT_PRED2(contains, error_of<JsonError>([] { parse_json(std::string(600, '[')); }),
               "nested too deeply");
}

TEST(JsonReader, TypeMismatches) {
  const JsonValue value = parse_json(R"({"n": 1.5, "s": "x"})");
  EXPECT_PRED2(contains, error_of<JsonError>([&] { value.find("n")->as_int(); }),
               "expected integer, got number");
  EXPECT_PRED2(contains, error_of<JsonError>([&] { value.find("s")->items(); }),
               "expected array, got string");
  EXPECT_PRED2(contains, error_of<JsonError>([&] { value.items(); }), "got object");
}

}  // namespace
