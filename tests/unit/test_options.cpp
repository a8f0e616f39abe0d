// Tests of config schemas and validated options: the error messages users see for unknown keys,
// wrong types, bad choices, bounds and missing keys, defaults, and the typed getters.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "dac/config.hpp"
#include "dac/error.hpp"
#include "dac/options.hpp"
#include "support/test_support.hpp"

namespace {

using dac::ConfigError;
using dac::ConfigNode;
using dac::ConfigSchema;
using dac::KeyType;
using dac::Options;
using dac::test::error_of;

ConfigSchema encoder_schema() {
  return ConfigSchema()
      .integer("layers", 16, "number of transformer blocks")
      .min(1)
      .integer("heads", 12, "attention heads")
      .real("dropout", 0.1, "dropout probability")
      .min(0)
      .max(1)
      .string("norm", "pre_ln", "where the layer norm goes")
      .choices({"pre_ln", "post_ln"})
      .integers("sizes", {128, 256}, "sequence lengths")
      .reals("weights", {0.5}, "loss weights")
      .strings("tags", {}, "labels")
      .ignore("name");
}

// The message of the ConfigError that validating `toml` against `schema` throws.
std::string validation_error(const ConfigSchema& schema, const std::string& toml,
                             const std::string& path = "") {
  return error_of<ConfigError>([&] { schema.validate(dac::parse_toml(toml, "x.toml"), path); });
}

TEST(KeyTypeName, NamesEveryType) {
  EXPECT_STREQ(dac::key_type_name(KeyType::Bool), "bool");
  EXPECT_STREQ(dac::key_type_name(KeyType::Int), "int");
  EXPECT_STREQ(dac::key_type_name(KeyType::Float), "float");
  EXPECT_STREQ(dac::key_type_name(KeyType::String), "string");
  EXPECT_STREQ(dac::key_type_name(KeyType::IntList), "list of int");
  EXPECT_STREQ(dac::key_type_name(KeyType::FloatList), "list of float");
  EXPECT_STREQ(dac::key_type_name(KeyType::StringList), "list of string");
  EXPECT_STREQ(dac::key_type_name(KeyType::Table), "table");
  EXPECT_STREQ(dac::key_type_name(KeyType::AnyTable), "table");
  EXPECT_STREQ(dac::key_type_name(KeyType::Any), "any");
}

TEST(ConfigFail, NamesOriginAndKeyPath) {
  const ConfigNode root = dac::parse_toml("[train]\nlr = 5\n", "x.toml");
  EXPECT_EQ(error_of<ConfigError>(
                [&] { dac::config_fail(*root.find_path("train.lr"), "train.lr", "too large"); }),
            "x.toml:2:6: train.lr: too large");
  EXPECT_EQ(error_of<ConfigError>([&] { dac::config_fail(root, "", "empty config"); }),
            "x.toml:1:1: empty config");
}

// --- schema declarations ---------------------------------------------------------------------

TEST(ConfigSchemaBuild, ModifiersApplyToTheLastKey) {
  const ConfigSchema schema = encoder_schema();
  ASSERT_EQ(schema.keys().size(), 7u);
  const dac::KeySpec* dropout = schema.find("dropout");
  ASSERT_NE(dropout, nullptr);
  EXPECT_EQ(dropout->type, KeyType::Float);
  EXPECT_EQ(dropout->min, 0.0);
  EXPECT_EQ(dropout->max, 1.0);
  EXPECT_EQ(dropout->help, "dropout probability");
  EXPECT_EQ(*dropout->default_value, ConfigNode::real(0.1));
  EXPECT_EQ(schema.find("norm")->choices, (std::vector<std::string>{"pre_ln", "post_ln"}));
  EXPECT_FALSE(schema.find("heads")->min.has_value());
  EXPECT_TRUE(schema.ignores("name"));
  EXPECT_FALSE(schema.ignores("layers"));
  EXPECT_EQ(schema.find("missing"), nullptr);
}

TEST(ConfigSchemaBuild, DuplicateKeyIsAProgrammingError) {
  ConfigSchema schema;
  schema.integer("steps", 1, "");
  EXPECT_THROW(schema.real("steps", 1.0, ""), std::logic_error);
  EXPECT_THROW(ConfigSchema().min(1), std::logic_error);
}

// --- validation ------------------------------------------------------------------------------

TEST(ConfigValidate, FillsDefaultsAndKeepsUserOrigins) {
  const Options options =
      encoder_schema().validate(dac::parse_toml("name = \"bert\"\nlayers = 4\n", "x.toml"), "");
  EXPECT_EQ(options.integer("layers"), 4);
  EXPECT_EQ(options.integer("heads"), 12);
  EXPECT_DOUBLE_EQ(options.real("dropout"), 0.1);
  EXPECT_EQ(options.string("norm"), "pre_ln");
  EXPECT_EQ(options.integers("sizes"), (std::vector<std::int64_t>{128, 256}));
  EXPECT_EQ(options.reals("weights"), std::vector<double>{0.5});
  EXPECT_TRUE(options.strings("tags").empty());
  EXPECT_EQ(options.raw().keys(), (std::vector<std::string>{"name", "layers", "heads", "dropout",
                                                            "norm", "sizes", "weights", "tags"}));
  EXPECT_EQ(options.node("layers").origin().str(), "x.toml:2:10");
  EXPECT_EQ(options.node("heads").origin().str(), "(built-in default)");
  EXPECT_EQ(options.raw().origin().str(), "x.toml:1:1");
}

TEST(ConfigValidate, UnknownKeySuggestsAndListsValidKeys) {
  EXPECT_EQ(validation_error(encoder_schema(), "layer = 3\n"),
            "x.toml:1:9: layer: unknown key (did you mean 'layers'?); valid keys: layers, heads, "
            "dropout, norm, sizes, weights, tags");
  EXPECT_EQ(validation_error(encoder_schema(), "vocabulary = 3\n", "model.encoder"),
            "x.toml:1:14: model.encoder.vocabulary: unknown key; valid keys: layers, heads, "
            "dropout, norm, sizes, weights, tags");
}

TEST(ConfigValidate, IgnoredKeysPassThrough) {
  const Options options = encoder_schema().validate(
      dac::parse_toml("name = { anything = [1] }\n", "x.toml"), "encoder");
  EXPECT_EQ(options.node("name"), *dac::parse_toml("a = { anything = [1] }", "y").find("a"));
}

TEST(ConfigValidate, WrongTypeNamesBothTypes) {
  EXPECT_EQ(validation_error(encoder_schema(), "layers = \"16\"\n", "model.encoder"),
            "x.toml:1:10: model.encoder.layers: expected int, got string");
  EXPECT_EQ(validation_error(encoder_schema(), "dropout = true\n"),
            "x.toml:1:11: dropout: expected float, got boolean");
  EXPECT_EQ(validation_error(encoder_schema(), "layers = 2.0\n"),
            "x.toml:1:10: layers: expected int, got float");
  EXPECT_EQ(validation_error(encoder_schema(), "norm = [\"pre_ln\"]\n"),
            "x.toml:1:8: norm: expected string, got array");
  EXPECT_EQ(validation_error(encoder_schema(), "sizes = 128\n"),
            "x.toml:1:9: sizes: expected list of int, got integer");
}

TEST(ConfigValidate, FloatKeysAcceptIntegersAsFloats) {
  const Options options =
      encoder_schema().validate(dac::parse_toml("dropout = 0\nweights = [1, 0.5]\n", "x"), "");
  EXPECT_EQ(options.node("dropout").type(), ConfigNode::Type::Float);
  EXPECT_EQ(options.node("dropout").origin().str(), "x:1:11");
  EXPECT_EQ(options.node("weights").items()[0].type(), ConfigNode::Type::Float);
  EXPECT_EQ(options.reals("weights"), (std::vector<double>{1.0, 0.5}));
}

TEST(ConfigValidate, ListElementErrorsPointAtTheElement) {
  EXPECT_EQ(validation_error(encoder_schema(), "sizes = [128, 256, \"512\"]\n", "data"),
            "x.toml:1:20: data.sizes[2]: expected int, got string");
  EXPECT_EQ(validation_error(encoder_schema(), "weights = [1, true]\n"),
            "x.toml:1:15: weights[1]: expected float, got boolean");
  EXPECT_EQ(validation_error(encoder_schema(), "tags = [\"a\", 1]\n"),
            "x.toml:1:14: tags[1]: expected string, got integer");
}

TEST(ConfigValidate, ChoicesListAllowedValuesAndSuggest) {
  EXPECT_EQ(validation_error(encoder_schema(), "norm = \"preln\"\n"),
            "x.toml:1:8: norm: 'preln' is not one of: pre_ln, post_ln (did you mean 'pre_ln'?)");
  EXPECT_EQ(validation_error(encoder_schema(), "norm = \"rms\"\n"),
            "x.toml:1:8: norm: 'rms' is not one of: pre_ln, post_ln");
}

TEST(ConfigValidate, BoundsNameTheLimit) {
  const ConfigSchema schema =
      ConfigSchema().real("lr", 1e-3, "learning rate").min(1e-9).integers("sizes", {}, "").max(512);
  EXPECT_EQ(validation_error(schema, "lr = 0\n"), "x.toml:1:6: lr: 0 is below the minimum 1e-09");
  EXPECT_EQ(validation_error(schema, "lr = -0.25\n"),
            "x.toml:1:6: lr: -0.25 is below the minimum 1e-09");
  EXPECT_EQ(validation_error(schema, "sizes = [512, 1024]\n"),
            "x.toml:1:15: sizes[1]: 1024 is above the maximum 512");
  EXPECT_EQ(validation_error(encoder_schema(), "dropout = 1.5\n"),
            "x.toml:1:11: dropout: 1.5 is above the maximum 1");
  EXPECT_EQ(validation_error(encoder_schema(), "layers = 0\n"),
            "x.toml:1:10: layers: 0 is below the minimum 1");
  const Options at_bounds = schema.validate(dac::parse_toml("lr = 1e-9\nsizes = [512]", "x"), "");
  EXPECT_DOUBLE_EQ(at_bounds.real("lr"), 1e-9);
}

TEST(ConfigValidate, MissingRequiredKeyNamesTheTable) {
  const ConfigSchema schema = ConfigSchema()
                                  .required("steps", KeyType::Int, "total optimizer steps")
                                  .required("corpus", KeyType::String, "");
  EXPECT_EQ(validation_error(schema, "corpus = \"wiki\"\n"),
            "x.toml:1:1: missing required key 'steps' (int): total optimizer steps");
  const ConfigSchema outer = ConfigSchema().table("train", schema, "training");
  EXPECT_EQ(validation_error(outer, "\n\n[train]\nsteps = 3\n"),
            "x.toml:3:1: train: missing required key 'corpus' (string)");
}

TEST(ConfigValidate, NestedTablesValidateWithFullPaths) {
  const ConfigSchema schema =
      ConfigSchema().table("model", ConfigSchema().table("encoder", encoder_schema(), ""), "");
  EXPECT_EQ(validation_error(schema, "[model.encoder]\nheads = \"8\"\n"),
            "x.toml:2:9: model.encoder.heads: expected int, got string");
  EXPECT_EQ(validation_error(schema, "[model]\nencoder = 3\n"),
            "x.toml:2:11: model.encoder: expected table, got integer");
  EXPECT_EQ(validation_error(schema, "[model.encoder]\nlayrs = 3\n", "exp"),
            "x.toml:2:9: exp.model.encoder.layrs: unknown key (did you mean 'layers'?); valid "
            "keys: layers, heads, dropout, norm, sizes, weights, tags");
}

TEST(ConfigValidate, AbsentNestedTableGetsItsDefaults) {
  const ConfigSchema schema = ConfigSchema().table("encoder", encoder_schema(), "the encoder");
  const Options options = schema.validate(dac::parse_toml("", "x.toml"), "model");
  const Options encoder = options.table("encoder");
  EXPECT_EQ(encoder.path(), "model.encoder");
  EXPECT_EQ(encoder.integer("layers"), 16);
  EXPECT_EQ(encoder.node("layers").origin().str(), "(built-in default)");

  const ConfigSchema strict =
      ConfigSchema().table("train", ConfigSchema().required("steps", KeyType::Int, "steps"), "");
  EXPECT_EQ(validation_error(strict, "\n"),
            "x.toml:1:1: train: missing required key 'steps' (int): steps");
}

TEST(ConfigValidate, AnyTableMustBeATableAndPassesThrough) {
  const ConfigSchema schema = ConfigSchema().any_table("encoder", "which encoder");
  const Options options =
      schema.validate(dac::parse_toml("[encoder]\nname = \"bert\"\nwhatever = [1]\n", "x"), "");
  EXPECT_EQ(options.node("encoder"), dac::parse_toml("name = \"bert\"\nwhatever = [1]\n", "y"));
  EXPECT_EQ(validation_error(schema, "encoder = \"bert\"\n"),
            "x.toml:1:11: encoder: expected table, got string");
  EXPECT_EQ(validation_error(schema, ""),
            "x.toml:1:1: missing required key 'encoder' (table): which encoder");
}

TEST(ConfigValidate, AnyAcceptsEveryValue) {
  const ConfigSchema schema = ConfigSchema().required("value", KeyType::Any, "");
  for (const char* text : {"value = 1", "value = \"s\"", "value = [1, \"a\"]", "value = {a=1}"})
    EXPECT_EQ(schema.validate(dac::parse_toml(text, "x"), "").node("value"),
              *dac::parse_toml(text, "x").find("value"));
}

TEST(ConfigValidate, OptionalKeysMayBeAbsent) {
  const ConfigSchema schema = ConfigSchema()
                                  .optional("resume", KeyType::String, "checkpoint to resume")
                                  .choices({"last", "best"});
  EXPECT_FALSE(schema.validate(ConfigNode(), "").has("resume"));
  const Options options = schema.validate(dac::parse_toml("resume = \"best\"", "x"), "");
  EXPECT_EQ(options.string("resume"), "best");
  EXPECT_EQ(validation_error(schema, "resume = \"bset\""),
            "x.toml:1:10: resume: 'bset' is not one of: last, best (did you mean 'best'?)");
}

TEST(ConfigValidate, OverrideValuesNameTheOverride) {
  ConfigNode config = dac::parse_toml("[train]\nlr = 0.1\n", "x.toml");
  dac::merge_into(config, dac::parse_override("train.lr=fast"));
  const ConfigSchema schema = ConfigSchema().real("lr", 0.1, "learning rate");
  EXPECT_EQ(error_of<ConfigError>([&] { schema.validate(*config.find("train"), "train"); }),
            "--set train.lr=fast: train.lr: expected float, got string");
}

// --- Options -----------------------------------------------------------------------------------

TEST(OptionsGet, MisuseIsAProgrammingError) {
  const Options options = encoder_schema().validate(ConfigNode(), "encoder");
  EXPECT_THROW(options.integer("nonexistent"), std::logic_error);
  EXPECT_THROW(options.string("layers"), std::logic_error);
  EXPECT_THROW(options.boolean("norm"), std::logic_error);
  EXPECT_THROW(options.integers("weights"), std::logic_error);
  EXPECT_THROW(options.strings("sizes"), std::logic_error);
  EXPECT_THROW(options.table("layers"), std::logic_error);
  EXPECT_THROW(options.node("absent"), std::logic_error);
  EXPECT_EQ(error_of<std::logic_error>([&] { options.real("norm"); }),
            "option 'encoder.norm' is string, not float");
}

TEST(OptionsGet, RealAcceptsIntegersAndReadsEveryType) {
  const Options options(dac::parse_toml("n = 3\nflag = true\nlist = [1, 2.5]\n", "x"), "");
  EXPECT_DOUBLE_EQ(options.real("n"), 3.0);
  EXPECT_TRUE(options.boolean("flag"));
  EXPECT_EQ(options.reals("list"), (std::vector<double>{1.0, 2.5}));
  EXPECT_THROW(options.integers("list"), std::logic_error);
}

TEST(OptionsGet, KeyPathsJoinWithDots) {
  const Options root(ConfigNode(), "");
  EXPECT_EQ(root.key_path("seed"), "seed");
  const Options nested(ConfigNode(), "model.encoder");
  EXPECT_EQ(nested.key_path("layers"), "model.encoder.layers");
}

TEST(OptionsFail, PointsAtTheKeyOrElseTheTable) {
  const Options options = encoder_schema().validate(
      *dac::parse_toml("\n[encoder]\nlayers = 3\n", "x.toml").find("encoder"), "encoder");
  EXPECT_EQ(error_of<ConfigError>([&] { options.fail("layers", "must divide by heads"); }),
            "x.toml:3:10: encoder.layers: must divide by heads");
  EXPECT_EQ(error_of<ConfigError>([&] { options.fail("vocab", "needs a tokenizer"); }),
            "x.toml:2:1: encoder.vocab: needs a tokenizer");
  EXPECT_EQ(error_of<ConfigError>([&] { options.fail("heads", "too many"); }),
            "(built-in default): encoder.heads: too many");
}

}  // namespace
