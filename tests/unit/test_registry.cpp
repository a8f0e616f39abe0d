// Tests of plugin registries in-process: the errors users see for unknown and duplicate plugin
// names, validation of a component's table before construction, and the options factories get.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "dac/config.hpp"
#include "dac/error.hpp"
#include "dac/kinds/lr_schedule.hpp"
#include "dac/kinds/stage.hpp"
#include "dac/plugin.hpp"
#include "dac/plugin_host.hpp"
#include "support/test_support.hpp"

namespace {

using dac::ConfigError;
using dac::ConfigNode;
using dac::ConfigSchema;
using dac::LrSchedule;
using dac::Options;
using dac::PluginHost;
using dac::PluginRegistrar;
using dac::UserError;
using dac::test::contains;
using dac::test::error_of;

// Linear warmup to 1, then a constant or a linear decay to 0 after `decay_start`.
class Warmup : public LrSchedule {
 public:
  enum class After { Constant, Decay };
  Warmup(double warmup, double decay_start, After after)
      : warmup_(warmup), decay_start_(decay_start), after_(after) {}
  ~Warmup() override { ++destroyed; }

  double multiplier(double progress) const override {
    if (progress < warmup_) return progress / warmup_;
    if (after_ == After::Constant || progress < decay_start_) return 1.0;
    return (1.0 - progress) / (1.0 - decay_start_);
  }

  static inline int destroyed = 0;

 private:
  double warmup_;
  double decay_start_;
  After after_;
};

ConfigSchema warmup_schema() {
  return ConfigSchema()
      .real("warmup", 0.1, "fraction of the budget spent warming up")
      .min(0)
      .max(1)
      .real("decay_start", 0.5, "progress at which the decay starts");
}

// One factory per name: the same class with different constructor arguments.
auto warmup_factory(Warmup::After after) {
  return [after](const Options& options) {
    return std::make_unique<Warmup>(options.real("warmup"), options.real("decay_start"), after);
  };
}

// `warmup_constant` and `warmup_decay` registered by a library called /plugins/dac_schedules.so.
class RegistryTest : public ::testing::Test {
 protected:
  RegistryTest() : registrar_(host_, "/plugins/dac_schedules.so", nullptr) {
    registrar_.add<LrSchedule>({.name = "warmup_constant",
                                .version = "1",
                                .summary = "warmup, then constant",
                                .schema = warmup_schema()},
                               warmup_factory(Warmup::After::Constant));
    registrar_.add<LrSchedule>({.name = "warmup_decay",
                                .version = "2",
                                .summary = "warmup, then linear decay",
                                .schema = warmup_schema()},
                               warmup_factory(Warmup::After::Decay));
  }

  // The [schedule] table of `toml` (a file called experiment.toml).
  static ConfigNode schedule_table(const std::string& toml) {
    return *dac::parse_toml(toml, "experiment.toml").find("schedule");
  }

  std::shared_ptr<LrSchedule> create(const std::string& toml) {
    return host_.create<LrSchedule>(schedule_table(toml), "schedule");
  }

  PluginHost host_;
  PluginRegistrar registrar_;
};

TEST_F(RegistryTest, RegistersUnderTheKindOfTheInterface) {
  const dac::Registry& registry = host_.registry("lr_schedule");
  EXPECT_EQ(registry.names(), (std::vector<std::string>{"warmup_constant", "warmup_decay"}));
  const dac::PluginInfo* info = registry.find("warmup_decay");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->kind, "lr_schedule");
  EXPECT_EQ(info->spec.version, "2");
  EXPECT_EQ(info->library, "/plugins/dac_schedules.so");
  EXPECT_EQ(registrar_.registered(),
            (std::vector<std::string>{"lr_schedule/warmup_constant", "lr_schedule/warmup_decay"}));
  EXPECT_EQ(host_.registry("stage").find("warmup_decay"), nullptr);
}

TEST_F(RegistryTest, UnknownNameListsRegisteredNamesAndSuggestsTheCloseOne) {
  const std::string message =
      error_of<UserError>([&] { host_.registry("lr_schedule").require("warmup_decy"); });
  EXPECT_PRED2(contains, message,
               "unknown lr_schedule plugin 'warmup_decy' (did you mean "
               "'warmup_decay'?); registered lr_schedule plugins: "
               "warmup_constant, warmup_decay.");
  EXPECT_PRED2(contains, message, "Run `dacrun plugins`");
  EXPECT_PRED2(contains, message, "DAC_PLUGIN_PATH or [plugins] paths");
}

TEST_F(RegistryTest, UnknownNameWithoutACloseMatchHasNoSuggestion) {
  const std::string message =
      error_of<UserError>([&] { host_.registry("lr_schedule").require("cosine"); });
  EXPECT_PRED2(contains, message,
               "unknown lr_schedule plugin 'cosine'; registered lr_schedule "
               "plugins: warmup_constant, warmup_decay.");
  EXPECT_FALSE(contains(message, "did you mean"));
}

TEST_F(RegistryTest, UnknownNameInAConfigPointsAtTheNameValue) {
  const std::string message =
      error_of<UserError>([&] { create("[schedule]\nname = \"warmup_constnt\"\n"); });
  EXPECT_PRED2(contains, message,
               "experiment.toml:2:8: schedule.name: unknown lr_schedule plugin "
               "'warmup_constnt' (did you mean 'warmup_constant'?)");
}

TEST_F(RegistryTest, EmptyKindListsNoneRegistered) {
  const std::string message =
      error_of<UserError>([&] { host_.registry("corpus").require("wikipedia"); });
  EXPECT_PRED2(contains, message,
               "unknown corpus plugin 'wikipedia'; registered corpus plugins: "
               "(none).");
}

TEST_F(RegistryTest, DuplicateNameIsRejectedNamingBothLibraries) {
  PluginRegistrar other(host_, "/elsewhere/dac_more_schedules.so", nullptr);
  const std::string message = error_of<UserError>([&] {
    other.add<LrSchedule>({.name = "warmup_decay", .version = "1", .summary = "another"},
                          warmup_factory(Warmup::After::Decay));
  });
  EXPECT_PRED2(contains, message,
               "duplicate lr_schedule plugin 'warmup_decay': registered by "
               "/plugins/dac_schedules.so and again by "
               "/elsewhere/dac_more_schedules.so.");
  // The first registration stays.
  EXPECT_EQ(host_.registry("lr_schedule").find("warmup_decay")->library,
            "/plugins/dac_schedules.so");
}

TEST_F(RegistryTest, SameNameInAnotherKindIsNoDuplicate) {
  class Nothing : public dac::Stage {
   public:
    ConfigNode run(dac::StageContext&) override { return ConfigNode::table(); }
  };
  PluginRegistrar other(host_, "/plugins/dac_stages.so", nullptr);
  other.add<dac::Stage>({.name = "warmup_decay", .version = "1", .summary = "a stage"},
                        [](const Options&) { return std::make_unique<Nothing>(); });
  EXPECT_EQ(host_.registry("stage").find("warmup_decay")->library, "/plugins/dac_stages.so");
}

TEST_F(RegistryTest, EmptyNameIsRejectedNamingTheLibrary) {
  const std::string message = error_of<UserError>([&] {
    registrar_.add<LrSchedule>({.name = "", .version = "1", .summary = "nameless"},
                               warmup_factory(Warmup::After::Decay));
  });
  EXPECT_PRED2(contains, message,
               "/plugins/dac_schedules.so: a lr_schedule plugin was registered "
               "with an empty name");
}

TEST_F(RegistryTest, CreatePassesValidatedOptionsWithDefaultsToTheFactory) {
  auto schedule = create("[schedule]\nname = \"warmup_decay\"\nwarmup = 0.2\n");
  EXPECT_DOUBLE_EQ(schedule->multiplier(0.1), 0.5);   // warmup = 0.2 from the table
  EXPECT_DOUBLE_EQ(schedule->multiplier(0.4), 1.0);   // before decay_start = 0.5 (default)
  EXPECT_DOUBLE_EQ(schedule->multiplier(0.75), 0.5);  // halfway through the decay
}

TEST_F(RegistryTest, SameClassUnderTwoNamesGetsItsOwnConstructorArguments) {
  auto constant = create("[schedule]\nname = \"warmup_constant\"\n");
  auto decay = create("[schedule]\nname = \"warmup_decay\"\n");
  EXPECT_DOUBLE_EQ(constant->multiplier(0.05), 0.5);
  EXPECT_DOUBLE_EQ(decay->multiplier(0.05), 0.5);
  EXPECT_DOUBLE_EQ(constant->multiplier(0.9), 1.0);
  EXPECT_NEAR(decay->multiplier(0.9), 0.2, 1e-12);
}

TEST_F(RegistryTest, CreateNamedTakesOnlyTheComponentsKeys) {
  ConfigNode options = ConfigNode::table();
  options.set("warmup", ConfigNode::real(0.5));
  auto schedule = host_.create_named<LrSchedule>("warmup_constant", options, "train.schedule");
  EXPECT_DOUBLE_EQ(schedule->multiplier(0.25), 0.5);
}

TEST_F(RegistryTest, UnknownKeyIsRejectedWithFullPathAndSuggestion) {
  const std::string message =
      error_of<ConfigError>([&] { create("[schedule]\nname = \"warmup_decay\"\nwarmpu = 0.2\n"); });
  EXPECT_PRED2(contains, message,
               "experiment.toml:3:10: schedule.warmpu: unknown key (did you "
               "mean 'warmup'?); valid keys: warmup, decay_start");
}

TEST_F(RegistryTest, WrongTypeIsRejectedWithFullPath) {
  const std::string message = error_of<ConfigError>(
      [&] { create("[schedule]\nname = \"warmup_decay\"\nwarmup = \"ten percent\"\n"); });
  EXPECT_PRED2(contains, message,
               "experiment.toml:3:10: schedule.warmup: expected float, got "
               "string");
}

TEST_F(RegistryTest, OutOfRangeValueIsRejectedBeforeTheFactoryRuns) {
  const int destroyed_before = Warmup::destroyed;
  const std::string message =
      error_of<ConfigError>([&] { create("[schedule]\nname = \"warmup_decay\"\nwarmup = 1.5\n"); });
  EXPECT_PRED2(contains, message, "schedule.warmup");
  EXPECT_EQ(Warmup::destroyed, destroyed_before);  // nothing was constructed
}

TEST_F(RegistryTest, MissingNameIsAConfigErrorAtTheTable) {
  const std::string message = error_of<ConfigError>([&] { create("[schedule]\nwarmup = 0.2\n"); });
  EXPECT_PRED2(contains, message,
               "experiment.toml:1:1: schedule: missing key 'name' (the plugin to "
               "use)");
}

TEST_F(RegistryTest, NonStringNameIsAConfigErrorAtTheValue) {
  const std::string message = error_of<ConfigError>([&] { create("[schedule]\nname = 3\n"); });
  EXPECT_PRED2(contains, message,
               "experiment.toml:2:8: schedule.name: expected string, got "
               "integer");
}

TEST_F(RegistryTest, ObjectsAreDestroyedWithTheirLastReference) {
  const int destroyed_before = Warmup::destroyed;
  auto schedule = create("[schedule]\nname = \"warmup_constant\"\n");
  auto copy = schedule;
  schedule.reset();
  EXPECT_EQ(Warmup::destroyed, destroyed_before);
  copy.reset();
  EXPECT_EQ(Warmup::destroyed, destroyed_before + 1);
}

TEST_F(RegistryTest, RemoveLibraryDropsOnlyItsEntries) {
  PluginRegistrar other(host_, "/plugins/dac_other.so", nullptr);
  other.add<LrSchedule>({.name = "other_schedule", .version = "1", .summary = "other"},
                        warmup_factory(Warmup::After::Constant));
  host_.registry("lr_schedule").remove_library("/plugins/dac_schedules.so");
  EXPECT_EQ(host_.registry("lr_schedule").names(), (std::vector<std::string>{"other_schedule"}));
}

// An interface a plugin declares itself: its registry appears on first use.
class Greeter {
 public:
  static constexpr std::string_view kind = "greeter";
  virtual ~Greeter() = default;
  virtual std::string greet() const = 0;
};

TEST(PluginDeclaredKind, GetsARegistryOnFirstUse) {
  class Hello : public Greeter {
   public:
    explicit Hello(std::string name) : name_(std::move(name)) {}
    std::string greet() const override { return "hello " + name_; }

   private:
    std::string name_;
  };
  PluginHost host;
  EXPECT_EQ(host.find_registry("greeter"), nullptr);
  PluginRegistrar registrar(host, "/plugins/dac_greeters.so", nullptr);
  registrar.add<Greeter>(
      {.name = "hello",
       .version = "1",
       .summary = "says hello",
       .schema = ConfigSchema().string("to", "world", "who is greeted")},
      [](const Options& options) { return std::make_unique<Hello>(options.string("to")); });
  ASSERT_NE(host.find_registry("greeter"), nullptr);
  EXPECT_EQ(host.find_registry("greeter")->description(), "(declared by a plugin)");
  const ConfigNode table =
      *dac::parse_toml("[g]\nname = \"hello\"\nto = \"dacrun\"\n", "x.toml").find("g");
  EXPECT_EQ(host.create<Greeter>(table, "g")->greet(), "hello dacrun");
}

}  // namespace
