// Tests of reading configs: TOML parsing with origins, `base` includes, merging, --set overrides,
// and writing the tree back as TOML.
#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <string>

#include "dac/config.hpp"
#include "dac/error.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using dac::ConfigError;
using dac::ConfigNode;
using dac::UserError;
using dac::test::error_of;
using dac::test::TempDir;
using dac::test::write_file;

// Runs a test from inside a folder, so config paths can be given relative to it as users do.
class ScopedWorkingDir {
 public:
  explicit ScopedWorkingDir(const fs::path& dir) : previous_(fs::current_path()) {
    fs::current_path(dir);
  }
  ~ScopedWorkingDir() { fs::current_path(previous_); }

 private:
  fs::path previous_;
};

// --- parsing -------------------------------------------------------------------------------

TEST(ConfigParse, ConvertsEveryValueType) {
  const ConfigNode root = dac::parse_toml(
      "flag = true\n"
      "steps = 100\n"
      "lr = 1e-3\n"
      "name = \"bert\"\n"
      "sizes = [1, 2, 3]\n"
      "model = { layers = 16, heads = 12 }\n"
      "[train]\n"
      "batch = 32\n"
      "[[stages]]\n"
      "name = \"pretrain\"\n"
      "[[stages]]\n"
      "name = \"finetune\"\n",
      "x.toml");
  EXPECT_TRUE(root.find("flag")->as_bool());
  EXPECT_EQ(root.find("steps")->as_int(), 100);
  EXPECT_EQ(root.find("lr")->type(), ConfigNode::Type::Float);
  EXPECT_DOUBLE_EQ(root.find("lr")->as_float(), 1e-3);
  EXPECT_EQ(root.find("name")->as_string(), "bert");
  ASSERT_EQ(root.find("sizes")->items().size(), 3u);
  EXPECT_EQ(root.find("sizes")->items()[2].as_int(), 3);
  EXPECT_EQ(root.find_path("model.heads")->as_int(), 12);
  EXPECT_EQ(root.find_path("train.batch")->as_int(), 32);
  EXPECT_EQ(root.find_path("stages.1.name")->as_string(), "finetune");
}

TEST(ConfigParse, KeysKeepTheOrderTheyWereWritten) {
  const ConfigNode root = dac::parse_toml("zeta = 1\nalpha = 2\n[mid]\nb = 1\na = 2\n", "x.toml");
  EXPECT_EQ(root.keys(), (std::vector<std::string>{"zeta", "alpha", "mid"}));
  EXPECT_EQ(root.find("mid")->keys(), (std::vector<std::string>{"b", "a"}));
}

TEST(ConfigParse, OriginsNameFileLineAndColumn) {
  const ConfigNode root =
      dac::parse_toml("steps = 1\n[train]\n  lr = 0.1\n  sizes = [4, 8]\n", "exp/x.toml");
  EXPECT_EQ(root.origin().str(), "exp/x.toml:1:1");
  EXPECT_EQ(root.find("steps")->origin().str(), "exp/x.toml:1:9");
  EXPECT_EQ(root.find("train")->origin().str(), "exp/x.toml:2:1");
  EXPECT_EQ(root.find_path("train.lr")->origin().str(), "exp/x.toml:3:8");
  EXPECT_EQ(root.find_path("train.sizes.1")->origin().str(), "exp/x.toml:4:15");
}

TEST(ConfigParse, OneSourceNameIsSharedByTheWholeFile) {
  const ConfigNode root = dac::parse_toml("a = 1\n[t]\nb = [2]\n", "x.toml");
  const auto& source = root.find("a")->origin().source;
  ASSERT_TRUE(source);
  EXPECT_EQ(source.get(), root.find_path("t.b.0")->origin().source.get());
  EXPECT_EQ(source.get(), root.origin().source.get());
}

TEST(ConfigParse, DatesAndTimesBecomeIsoStrings) {
  const ConfigNode root = dac::parse_toml(
      "day = 1979-05-27\n"
      "at = 07:32:00\n"
      "local = 1979-05-27T07:32:00\n"
      "utc = 1979-05-27T07:32:00Z\n"
      "offset = 1979-05-27T00:32:00.5-07:00\n",
      "x.toml");
  EXPECT_EQ(root.find("day")->as_string(), "1979-05-27");
  EXPECT_EQ(root.find("at")->as_string(), "07:32:00");
  EXPECT_EQ(root.find("local")->as_string(), "1979-05-27T07:32:00");
  EXPECT_EQ(root.find("utc")->as_string(), "1979-05-27T07:32:00Z");
  EXPECT_EQ(root.find("offset")->as_string(), "1979-05-27T00:32:00.5-07:00");
}

TEST(ConfigParse, SyntaxErrorNamesPositionAndDescription) {
  EXPECT_EQ(error_of<ConfigError>([] { dac::parse_toml("a = 1\nb = \n", "exp/x.toml"); }),
            "exp/x.toml:2:5: TOML syntax error: Error while parsing key-value pair: expected "
            "value, saw '\\n'");
  EXPECT_EQ(error_of<ConfigError>([] { dac::parse_toml("[train\n", "x.toml"); }),
            "x.toml:1:7: TOML syntax error: Error while parsing table header: expected ']', saw "
            "'\\n'");
}

TEST(ConfigParse, FileIsNamedAsTheCallerGaveIt) {
  TempDir dir;
  write_file(dir / "experiments/x.toml", "steps = 5\n");
  ScopedWorkingDir cwd(dir.path());
  const ConfigNode root = dac::parse_toml_file("experiments/x.toml");
  EXPECT_EQ(root.find("steps")->origin().str(), "experiments/x.toml:1:9");
}

TEST(ConfigParse, MissingFileIsUserErrorNamingThePath) {
  TempDir dir;
  const fs::path missing = dir / "nope.toml";
  const std::string message = error_of<UserError>([&] { dac::parse_toml_file(missing); });
  EXPECT_EQ(message,
            "cannot read config file '" + missing.string() + "': No such file or directory");
  EXPECT_EQ(error_of<UserError>([&] { dac::load_config(missing); }), message);
}

TEST(ConfigParse, FolderIsUnreadable) {
  TempDir dir;
  EXPECT_EQ(error_of<UserError>([&] { dac::parse_toml_file(dir.path()); }),
            "cannot read config file '" + dir.path().string() + "': Is a directory");
}

// --- base includes -------------------------------------------------------------------------

TEST(ConfigLoad, FileWithoutBaseLoadsAsIs) {
  TempDir dir;
  write_file(dir / "x.toml", "steps = 5\n[train]\nlr = 0.5\n");
  EXPECT_EQ(dac::load_config(dir / "x.toml"), dac::parse_toml_file(dir / "x.toml"));
}

TEST(ConfigLoad, BaseIncludesMergeInOrder) {
  TempDir dir;
  write_file(dir / "a.toml", "steps = 1\nname = \"a\"\n[train]\nlr = 0.1\nbatch = 8\n");
  write_file(dir / "b.toml", "steps = 2\n[train]\nlr = 0.2\n");
  write_file(dir / "x.toml", "base = [\"a.toml\", \"b.toml\"]\nsteps = 3\n");
  ScopedWorkingDir cwd(dir.path());
  const ConfigNode config = dac::load_config("x.toml");

  EXPECT_FALSE(config.contains("base"));
  EXPECT_EQ(config.find("steps")->as_int(), 3);
  EXPECT_EQ(config.find("name")->as_string(), "a");
  EXPECT_DOUBLE_EQ(config.find_path("train.lr")->as_float(), 0.2);
  EXPECT_EQ(config.find_path("train.batch")->as_int(), 8);
  // Each value remembers the file that set it last.
  EXPECT_EQ(config.find("steps")->origin().str(), "x.toml:2:9");
  EXPECT_EQ(config.find("name")->origin().str(), "a.toml:2:8");
  EXPECT_EQ(config.find_path("train.lr")->origin().str(), "b.toml:3:6");
  EXPECT_EQ(config.find_path("train.batch")->origin().str(), "a.toml:5:9");
  EXPECT_EQ(config.origin().str(), "x.toml:1:1");
}

TEST(ConfigLoad, BaseMayBeOneString) {
  TempDir dir;
  write_file(dir / "common.toml", "steps = 1\nseed = 7\n");
  write_file(dir / "x.toml", "base = \"common.toml\"\nsteps = 2\n");
  const ConfigNode config = dac::load_config(dir / "x.toml");
  EXPECT_EQ(config.keys(), (std::vector<std::string>{"steps", "seed"}));
  EXPECT_EQ(config.find("steps")->as_int(), 2);
  EXPECT_EQ(config.find("seed")->as_int(), 7);
}

TEST(ConfigLoad, BasesResolveRelativeToTheIncludingFile) {
  TempDir dir;
  write_file(dir / "configs/model.toml", "base = \"shared/sizes.toml\"\nlayers = 16\n");
  write_file(dir / "configs/shared/sizes.toml", "hidden = 768\n");
  write_file(dir / "experiments/x.toml", "base = [\"../configs/model.toml\"]\n");
  ScopedWorkingDir cwd(dir.path());
  const ConfigNode config = dac::load_config("experiments/x.toml");
  EXPECT_EQ(config.find("layers")->origin().str(), "configs/model.toml:2:10");
  EXPECT_EQ(config.find("hidden")->origin().str(), "configs/shared/sizes.toml:1:10");
}

TEST(ConfigLoad, BaseOfWrongTypeIsConfigError) {
  TempDir dir;
  write_file(dir / "x.toml", "base = 3\n");
  write_file(dir / "y.toml", "base = [\"a.toml\", 4]\n");
  ScopedWorkingDir cwd(dir.path());
  EXPECT_EQ(error_of<ConfigError>([] { dac::load_config("x.toml"); }),
            "x.toml:1:8: base: expected a string or an array of strings, got integer");
  EXPECT_EQ(error_of<ConfigError>([] { dac::load_config("y.toml"); }),
            "y.toml:1:19: base[1]: expected a string (a config file path), got integer");
}

TEST(ConfigLoad, MissingBaseNamesTheBaseEntry) {
  TempDir dir;
  write_file(dir / "experiments/x.toml", "steps = 1\nbase = [\"missing.toml\"]\n");
  ScopedWorkingDir cwd(dir.path());
  EXPECT_EQ(error_of<UserError>([] { dac::load_config("experiments/x.toml"); }),
            "experiments/x.toml:2:9: base: cannot read config file 'experiments/missing.toml': "
            "No such file or directory");
}

TEST(ConfigLoad, SyntaxErrorInBaseNamesTheBaseFile) {
  TempDir dir;
  write_file(dir / "a.toml", "steps = \n");
  write_file(dir / "x.toml", "base = \"a.toml\"\n");
  ScopedWorkingDir cwd(dir.path());
  EXPECT_EQ(error_of<ConfigError>([] { dac::load_config("x.toml"); }),
            "a.toml:1:9: TOML syntax error: Error while parsing key-value pair: expected value, "
            "saw '\\n'");
}

TEST(ConfigLoad, IncludeCycleListsTheChain) {
  TempDir dir;
  write_file(dir / "a.toml", "base = \"b.toml\"\n");
  write_file(dir / "b.toml", "x = 1\nbase = [\"./a.toml\"]\n");
  write_file(dir / "self.toml", "base = \"self.toml\"\n");
  ScopedWorkingDir cwd(dir.path());
  EXPECT_EQ(error_of<ConfigError>([] { dac::load_config("a.toml"); }),
            "b.toml:2:9: base: config include cycle: a.toml -> b.toml -> a.toml");
  EXPECT_EQ(error_of<ConfigError>([] { dac::load_config("self.toml"); }),
            "self.toml:1:8: base: config include cycle: self.toml -> self.toml");
}

TEST(ConfigLoad, SharedBaseIsNotACycle) {
  TempDir dir;
  write_file(dir / "common.toml", "seed = 1\n");
  write_file(dir / "a.toml", "base = \"common.toml\"\na = 1\n");
  write_file(dir / "x.toml", "base = [\"common.toml\", \"a.toml\"]\n");
  const ConfigNode config = dac::load_config(dir / "x.toml");
  EXPECT_EQ(config.find("seed")->as_int(), 1);
  EXPECT_EQ(config.find("a")->as_int(), 1);
}

// --- merging -------------------------------------------------------------------------------

TEST(ConfigMerge, TablesMergeKeyByKey) {
  ConfigNode target = dac::parse_toml("[train]\nlr = 0.1\nbatch = 8\n[model]\nlayers = 2\n", "a");
  dac::merge_into(target, dac::parse_toml("[train]\nlr = 0.2\nwarmup = 10\n", "b"));
  EXPECT_EQ(target, dac::parse_toml("[train]\nlr = 0.2\nbatch = 8\nwarmup = 10\n"
                                    "[model]\nlayers = 2\n",
                                    "c"));
  EXPECT_EQ(target.find_path("train.lr")->origin().str(), "b:2:6");
  EXPECT_EQ(target.find_path("train.batch")->origin().str(), "a:3:9");
  EXPECT_EQ(target.find("train")->origin().str(), "b:1:1");
}

TEST(ConfigMerge, ArraysAndTypeChangesReplaceWholesale) {
  ConfigNode target = dac::parse_toml("sizes = [1, 2, 3]\nmodel = { a = 1 }\nlr = 1\n", "a");
  dac::merge_into(target, dac::parse_toml("sizes = [9]\nmodel = 5\nlr = { b = 2 }\n", "b"));
  EXPECT_EQ(target, dac::parse_toml("sizes = [9]\nmodel = 5\nlr = { b = 2 }\n", "c"));
  EXPECT_EQ(target.find_path("sizes.0")->origin().str(), "b:1:10");
}

TEST(ConfigMerge, OverrideKeepsTheFilePositionOfItsTables) {
  ConfigNode target = dac::parse_toml("[train]\nlr = 0.1\n", "x.toml");
  dac::merge_into(target, dac::parse_override("train.lr=0.5"));
  EXPECT_DOUBLE_EQ(target.find_path("train.lr")->as_float(), 0.5);
  EXPECT_EQ(target.find_path("train.lr")->origin().str(), "--set train.lr=0.5");
  EXPECT_EQ(target.find("train")->origin().str(), "x.toml:1:1");
  EXPECT_EQ(target.origin().str(), "x.toml:1:1");
}

// --- --set overrides -----------------------------------------------------------------------

TEST(ConfigOverride, ValuesAreTypedLikeToml) {
  EXPECT_EQ(dac::parse_override("a=3").find("a")->type(), ConfigNode::Type::Int);
  EXPECT_EQ(dac::parse_override("a=1e-3").find("a")->type(), ConfigNode::Type::Float);
  EXPECT_EQ(dac::parse_override("a=2.0").find("a")->type(), ConfigNode::Type::Float);
  EXPECT_FALSE(dac::parse_override("a=false").find("a")->as_bool());
  EXPECT_EQ(dac::parse_override("a=\"7\"").find("a")->as_string(), "7");
  EXPECT_EQ(dac::parse_override("a=''").find("a")->as_string(), "");
  EXPECT_EQ(dac::parse_override("a=[1, 2]"), dac::parse_toml("a = [1, 2]", "x"));
  EXPECT_EQ(dac::parse_override("a={ b = 1, c = \"d\" }"),
            dac::parse_toml("a = { b = 1, c = \"d\" }", "x"));
  EXPECT_EQ(dac::parse_override("day=2024-01-31").find("day")->as_string(), "2024-01-31");
}

TEST(ConfigOverride, TextThatIsNotTomlIsAString) {
  EXPECT_EQ(dac::parse_override("encoder.name=crammed_bert").find_path("encoder.name")->as_string(),
            "crammed_bert");
  EXPECT_EQ(dac::parse_override("a=hello world").find("a")->as_string(), "hello world");
  EXPECT_EQ(dac::parse_override("a=[1, 2").find("a")->as_string(), "[1, 2");
  // A second assignment smuggled into the value stays part of the string.
  EXPECT_EQ(dac::parse_override("a=1\nb=2").keys(), std::vector<std::string>{"a"});
  EXPECT_EQ(dac::parse_override("a=1\nb=2").find("a")->as_string(), "1\nb=2");
}

TEST(ConfigOverride, SplitsAtTheFirstEqualsAndTrims) {
  const ConfigNode node = dac::parse_override("  train.note = a=b  ");
  EXPECT_EQ(node.find_path("train.note")->as_string(), "a=b");
  EXPECT_EQ(dac::parse_override(" train.lr = 5 ").find_path("train.lr")->as_int(), 5);
}

TEST(ConfigOverride, EveryNodeNamesTheOverrideText) {
  const ConfigNode node = dac::parse_override("train.sched.steps=[1, 2]");
  EXPECT_EQ(node.keys(), std::vector<std::string>{"train"});
  for (const ConfigNode* at :
       {&node, node.find("train"), node.find_path("train.sched"),
        node.find_path("train.sched.steps"), node.find_path("train.sched.steps.1")}) {
    ASSERT_NE(at, nullptr);
    EXPECT_EQ(at->origin().str(), "--set train.sched.steps=[1, 2]");
    EXPECT_EQ(at->origin().line, 0);
  }
}

TEST(ConfigOverride, BadKeysAreConfigErrors) {
  for (const std::string bad : {"x..y", ".a", "a.", "a b", "a/b", "tr\u00e4in"}) {
    const std::string text = bad + "=1";
    EXPECT_EQ(error_of<ConfigError>([&] { dac::parse_override(text); }),
              "--set '" + text + "': invalid key path '" + bad + "'");
  }
  EXPECT_EQ(error_of<ConfigError>([] { dac::parse_override(" =1"); }),
            "--set ' =1': invalid key path ''");
  EXPECT_EQ(dac::parse_override("a-b_C.d9=1").find_path("a-b_C.d9")->as_int(), 1);
}

TEST(ConfigOverride, MissingValueOrEqualsIsConfigError) {
  EXPECT_EQ(error_of<ConfigError>([] { dac::parse_override("train.lr= "); }),
            "--set 'train.lr= ': missing value (write train.lr='' for an empty string)");
  EXPECT_EQ(error_of<ConfigError>([] { dac::parse_override("train.lr"); }),
            "--set 'train.lr': expected key=value, e.g. --set train.lr=1e-3");
}

// --- writing TOML --------------------------------------------------------------------------

TEST(ConfigToToml, WritesSectionsInOrder) {
  const ConfigNode root = dac::parse_toml(
      "seed = 1\n"
      "lr = 1.0\n"
      "tags = [\"a\", \"b\"]\n"
      "[model.encoder]\n"
      "layers = 2\n"
      "[[stages]]\n"
      "name = \"pretrain\"\n"
      "[stages.data]\n"
      "path = \"x\"\n",
      "x.toml");
  EXPECT_EQ(dac::to_toml(root),
            "seed = 1\n"
            "lr = 1.0\n"
            "tags = [\"a\", \"b\"]\n"
            "\n"
            "[model.encoder]\n"
            "layers = 2\n"
            "\n"
            "[[stages]]\n"
            "name = \"pretrain\"\n"
            "\n"
            "[stages.data]\n"
            "path = \"x\"\n");
}

TEST(ConfigToToml, FloatsStayFloats) {
  ConfigNode root;
  root.set("one", ConfigNode::real(1.0));
  root.set("small", ConfigNode::real(1e-9));
  root.set("big", ConfigNode::real(1e300));
  root.set("minus", ConfigNode::real(-2.5));
  root.set("inf", ConfigNode::real(-std::numeric_limits<double>::infinity()));
  EXPECT_EQ(dac::to_toml(root),
            "one = 1.0\nsmall = 1e-09\nbig = 1e+300\nminus = -2.5\ninf = -inf\n");
  EXPECT_EQ(dac::parse_toml(dac::to_toml(root), "out"), root);
}

TEST(ConfigToToml, EscapesStringsAndKeys) {
  ConfigNode root;
  root.set("text", ConfigNode::string("say \"hi\"\\\n\ttab\x01 \x7f caf\u00e9"));
  root.set("odd key", ConfigNode::integer(1));
  root.set("a.b", ConfigNode::table());
  root.find("a.b")->set("", ConfigNode::boolean(true));
  const std::string text = dac::to_toml(root);
  EXPECT_EQ(text,
            "text = \"say \\\"hi\\\"\\\\\\n\\ttab\\u0001 \\u007f caf\u00e9\"\n"
            "\"odd key\" = 1\n"
            "\n"
            "[\"a.b\"]\n"
            "\"\" = true\n");
  EXPECT_EQ(dac::parse_toml(text, "out"), root);
}

TEST(ConfigToToml, RoundTripsEveryShape) {
  const ConfigNode root = dac::parse_toml(
      "empty_list = []\n"
      "nested = [[1, 2], [\"a\"], []]\n"
      "mixed = [{ a = 1 }, 2]\n"
      "inline = { x = { y = [true] } }\n"
      "big = -9223372036854775808\n"
      "[empty]\n"
      "[outer.inner.deepest]\n"
      "v = 0.5\n"
      "[[runs]]\n"
      "[runs.cfg]\n"
      "k = 1\n"
      "[[runs.steps]]\n"
      "s = 1\n"
      "[[runs.steps]]\n"
      "s = 2\n"
      "[[runs]]\n"
      "n = 2\n",
      "x.toml");
  const std::string text = dac::to_toml(root);
  EXPECT_EQ(dac::parse_toml(text, "out"), root) << text;
  // Tables holding only tables are implied by their children's headers.
  EXPECT_EQ(text.find("[outer]\n"), std::string::npos) << text;
  EXPECT_NE(text.find("[empty]\n"), std::string::npos) << text;
}

TEST(ConfigToToml, WithOriginsCommentsEachValue) {
  ConfigNode root = dac::parse_toml("steps = 5\n[train]\nsizes = [1, 2]\n", "x.toml");
  root.find("train")->set("lr", ConfigNode::real(0.1));
  dac::merge_into(root, dac::parse_override("train.note=a\nb"));
  const std::string text = dac::to_toml(root, true);
  EXPECT_EQ(text,
            "steps = 5  # x.toml:1:9\n"
            "\n"
            "[train]\n"
            "sizes = [1, 2]  # x.toml:3:9\n"
            "lr = 0.1  # (built-in default)\n"
            "note = \"a\\nb\"  # --set train.note=a b\n");
  EXPECT_EQ(dac::parse_toml(text, "out"), root);
}

}  // namespace
