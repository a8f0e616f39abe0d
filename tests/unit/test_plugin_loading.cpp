// Tests of loading real plugin libraries (the test-only libraries under DAC_TEST_PLUGIN_DIR): what
// a good library registers, why bad ones are refused, search paths, and how long libraries stay
// loaded. Also checks the out-of-tree example extractor when its build provides it.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <algorithm>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dac/abi.hpp"
#include "dac/config.hpp"
#include "dac/error.hpp"
#include "dac/kinds/agreement_extractor.hpp"
#include "dac/kinds/stage.hpp"
#include "dac/plugin_host.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using dac::ConfigNode;
using dac::PluginHost;
using dac::UserError;
using dac::test::contains;
using dac::test::TempDir;

const fs::path kPluginDir = DAC_TEST_PLUGIN_DIR;

fs::path good_library() {
  return fs::canonical(kPluginDir / "good" / "dac_test_stages.so");
}
fs::path bad_library(const std::string& file) {
  return fs::canonical(kPluginDir / "bad" / file);
}

// The message of the UserError `statement` throws, or a failure when it throws none.
template <typename Statement>
std::string user_error_of(Statement statement) {
  try {
    statement();
  } catch (const UserError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no UserError thrown";
  return "";
}

// Whether the dynamic loader holds `path` in this process (the probe handle is closed again).
bool is_loaded(const fs::path& path) {
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (!handle) return false;
  ::dlclose(handle);
  return true;
}

// Sets an environment variable for the lifetime of the object, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::string& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    ::setenv(name_.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_.c_str(), old_->c_str(), 1);
    else
      ::unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

dac::Word word(std::string form, std::string upos, std::string deprel, int head) {
  dac::Word result;
  result.form = std::move(form);
  result.upos = std::move(upos);
  result.deprel = std::move(deprel);
  result.head = head;
  return result;
}

// "the dog saw a cat": two determiner-noun pairs.
dac::Sentence dog_sentence() {
  dac::Sentence sentence;
  sentence.text = "the dog saw a cat";
  sentence.words = {word("the", "DET", "det", 1), word("dog", "NOUN", "nsubj", 2),
                    word("saw", "VERB", "root", -1), word("a", "DET", "det", 4),
                    word("cat", "NOUN", "obj", 2)};
  return sentence;
}

ConfigNode table_named(const std::string& name) {
  ConfigNode table = ConfigNode::table();
  table.set("name", ConfigNode::string(name));
  return table;
}

TEST(PluginLoading, GoodLibraryRegistersItsPluginsAndIsRecorded) {
  PluginHost host;
  host.load_library(good_library());
  const dac::PluginInfo* counting = host.registry("stage").find("counting");
  ASSERT_NE(counting, nullptr);
  EXPECT_EQ(counting->library, good_library().string());
  EXPECT_NE(host.registry("stage").find("section_reader"), nullptr);
  ASSERT_EQ(host.registry("stage").find("section_reader")->spec.config_sections.size(), 1u);
  EXPECT_EQ(host.registry("stage").find("section_reader")->spec.config_sections[0].name, "train");
  EXPECT_NE(host.registry("agreement_extractor").find("test_determiner_noun"), nullptr);

  ASSERT_EQ(host.libraries().size(), 1u);
  EXPECT_EQ(host.libraries()[0].path, good_library());
  EXPECT_EQ(host.libraries()[0].abi_key, dac::host_abi_key());
  EXPECT_EQ(host.libraries()[0].registered,
            (std::vector<std::string>{"stage/counting", "stage/section_reader",
                                      "agreement_extractor/test_determiner_noun"}));
}

TEST(PluginLoading, ProvenanceListsLibrariesWithVersionedPlugins) {
  PluginHost host;
  host.load_library(good_library());
  const ConfigNode described = host.describe_libraries();
  ASSERT_EQ(described.items().size(), 1u);
  const ConfigNode& library = described.items()[0];
  EXPECT_EQ(library.find("path")->as_string(), good_library().string());
  EXPECT_EQ(library.find("abi_key")->as_string(), dac::host_abi_key());
  EXPECT_EQ(library.find("plugins")->items()[0].as_string(), "stage/counting@1");
}

TEST(PluginLoading, LoadingTheSameFileTwiceIsANoOp) {
  PluginHost host;
  host.load_library(good_library());
  // The same file through another spelling of its path.
  host.load_library(kPluginDir / "good" / ".." / "good" / "dac_test_stages.so");
  host.load_path(kPluginDir / "good");
  EXPECT_EQ(host.libraries().size(), 1u);
  EXPECT_EQ(host.registry("stage").names(),
            (std::vector<std::string>{"counting", "section_reader"}));
}

TEST(PluginLoading, LibraryWithoutEntryPointIsRefused) {
  PluginHost host;
  const fs::path path = bad_library("dac_test_no_entry.so");
  const std::string message = user_error_of([&] { host.load_library(path); });
  EXPECT_PRED2(contains, message,
               "'" + path.string() +
                   "' is not a dacrun plugin: it does not export the entry point "
                   "'dac_plugin_register'.");
  EXPECT_PRED2(contains, message, "DAC_PLUGIN_ENTRY(register_function)");
  EXPECT_TRUE(host.libraries().empty());
}

TEST(PluginLoading, LibraryBuiltForAnotherAbiIsRefused) {
  PluginHost host;
  const fs::path path = bad_library("dac_test_wrong_abi.so");
  const std::string message = user_error_of([&] { host.load_library(path); });
  EXPECT_PRED2(contains, message,
               "plugin library '" + path.string() + "' was built for another dacrun ABI");
  EXPECT_PRED2(contains, message, "the library says 'dacrun-abi=999;");
  EXPECT_PRED2(contains, message, std::string("this dacrun is '") + dac::host_abi_key() + "'");
  EXPECT_PRED2(contains, message, "Rebuild the plugin against this dacrun installation.");
  EXPECT_TRUE(host.libraries().empty());
}

TEST(PluginLoading, FileThatIsNoLibraryIsRefusedWithTheLoadersReason) {
  TempDir dir;
  const fs::path fake = dir / "dac_fake.so";
  dac::test::write_file(fake, "this is a text file, not a shared library\n");
  PluginHost host;
  const std::string message = user_error_of([&] { host.load_library(fake); });
  EXPECT_PRED2(contains, message,
               "cannot load plugin library '" + fs::canonical(fake).string() + "': ");
  // dlopen's own reason follows (e.g. "invalid ELF header" or "file too short").
  EXPECT_PRED2(contains, message, fs::canonical(fake).string() + ": ");
  EXPECT_FALSE(contains(message, "unknown reason"));
}

TEST(PluginLoading, MissingPathIsRefused) {
  TempDir dir;
  PluginHost host;
  const fs::path missing = dir / "dac_missing.so";
  EXPECT_EQ(user_error_of([&] { host.load_library(missing); }),
            "plugin library '" + missing.string() + "' does not exist.");
  EXPECT_EQ(user_error_of([&] { host.load_folder(dir / "no_such_folder"); }),
            "plugin folder '" + (dir / "no_such_folder").string() + "' does not exist.");
}

TEST(PluginLoading, ThrowingRegistrationLeavesNothingBehind) {
  PluginHost host;
  const fs::path path = bad_library("dac_test_throwing.so");
  const std::string message = user_error_of([&] { host.load_library(path); });
  EXPECT_EQ(message, "plugin library '" + path.string() +
                         "' failed while registering its plugins: the model file this plugin "
                         "needs is missing");
  EXPECT_EQ(host.registry("stage").find("half_registered"), nullptr);
  EXPECT_TRUE(host.libraries().empty());
}

TEST(PluginLoading, DuplicateLibraryAfterTheGoodOneIsRefusedNamingBoth) {
  PluginHost host;
  host.load_folder(kPluginDir / "good");
  const fs::path duplicate = fs::canonical(kPluginDir / "duplicate" / "dac_test_duplicate.so");
  const std::string message = user_error_of([&] { host.load_folder(kPluginDir / "duplicate"); });
  EXPECT_PRED2(contains, message,
               "duplicate stage plugin 'counting': registered by " + good_library().string() +
                   " and again by " + duplicate.string() + ".");
  // The first registration stays; the refused library is not recorded.
  EXPECT_EQ(host.registry("stage").find("counting")->library, good_library().string());
  ASSERT_EQ(host.libraries().size(), 1u);
  EXPECT_EQ(host.libraries()[0].path, good_library());
}

TEST(PluginLoading, FolderLoadsOnlyDacSharedLibraries) {
  TempDir dir;
  // Files that would be refused if they were loaded: they must be skipped.
  fs::copy_file(bad_library("dac_test_no_entry.so"), dir / "libhelper.so");
  fs::copy_file(bad_library("dac_test_no_entry.so"), dir / "dac_helper.so.1");
  dac::test::write_file(dir / "dac_notes.txt", "not a library\n");
  fs::create_directory(dir / "dac_folder.so");
  fs::copy_file(good_library(), dir / "dac_copy.so");
  PluginHost host;
  host.load_folder(dir.path());
  ASSERT_EQ(host.libraries().size(), 1u);
  EXPECT_EQ(host.libraries()[0].path.filename(), "dac_copy.so");
  EXPECT_NE(host.registry("stage").find("counting"), nullptr);
}

TEST(PluginLoading, PluginPathWithAMissingEntryIsRefused) {
  TempDir dir;
  const std::string missing = (dir / "gone").string();
  ScopedEnv env("DAC_PLUGIN_PATH", missing);
  PluginHost host;
  EXPECT_EQ(user_error_of([&] { host.load_default_plugins(); }),
            "DAC_PLUGIN_PATH names '" + missing +
                "', which does not exist. Fix or unset DAC_PLUGIN_PATH.");
}

TEST(PluginLoading, PluginPathLoadsFoldersAndFiles) {
  // A folder, an empty entry (skipped), and a library in that folder named again (loaded once).
  const std::string value =
      (kPluginDir / "good").string() +
      "::" + (kPluginDir / "duplicate" / ".." / "good" / "dac_test_stages.so").string();
  ScopedEnv env("DAC_PLUGIN_PATH", value);
  PluginHost host;
  host.load_default_plugins();
  const dac::PluginInfo* counting = host.registry("stage").find("counting");
  ASSERT_NE(counting, nullptr);
  EXPECT_EQ(counting->library, good_library().string());
  // The build's own plugin folder comes first; the test library is loaded once, last.
  const auto& libraries = host.libraries();
  ASSERT_GE(libraries.size(), 2u);
  EXPECT_EQ(libraries.front().path.parent_path(), fs::canonical(dac::default_plugin_folder()));
  EXPECT_EQ(libraries.back().path, good_library());
  EXPECT_EQ(std::count_if(libraries.begin(), libraries.end(),
                          [](const auto& library) { return library.path == good_library(); }),
            1);
  EXPECT_NE(host.registry("stage").find("system_check"), nullptr);
}

TEST(PluginLoading, DefaultFolderIsBesideTheFrameworkLibrary) {
  EXPECT_EQ(fs::canonical(dac::default_plugin_folder()),
            fs::canonical(fs::path(DAC_BINARY_DIR) / "lib" / "dacrun" / "plugins"));
}

TEST(PluginLoading, CreatedComponentsGetTheirValidatedOptions) {
  PluginHost host;
  host.load_library(good_library());
  ConfigNode table = table_named("counting");
  table.set("stepz", ConfigNode::integer(3));
  const std::string message = user_error_of([&] { host.create<dac::Stage>(table, "stages.0"); });
  EXPECT_PRED2(contains, message, "stages.0.stepz: unknown key (did you mean 'steps'?)");
}

TEST(PluginLifetime, ObjectsKeepTheirLibraryLoadedAfterTheHostIsGone) {
  const fs::path path = good_library();
  std::shared_ptr<dac::AgreementExtractor> extractor;
  {
    PluginHost host;
    host.load_library(path);
    extractor =
        host.create<dac::AgreementExtractor>(table_named("test_determiner_noun"), "agreement.0");
  }
  ASSERT_TRUE(is_loaded(path));
  EXPECT_EQ(extractor->type(), "test_determiner_noun");
  const std::vector<dac::Chunk> chunks = extractor->extract(dog_sentence());
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[0].members, (std::vector<int>{0, 1}));
  EXPECT_EQ(chunks[0].controller, 1);
  EXPECT_EQ(chunks[0].target, 0);
  EXPECT_EQ(chunks[1].members, (std::vector<int>{3, 4}));
  EXPECT_EQ(chunks[1].controller, 4);
  EXPECT_EQ(chunks[1].target, 3);

  extractor.reset();
  EXPECT_FALSE(is_loaded(path));
}

TEST(PluginLifetime, HostKeepsItsLibrariesLoadedUntilItIsGone) {
  const fs::path path = good_library();
  {
    PluginHost host;
    host.load_library(path);
    EXPECT_TRUE(is_loaded(path));
  }
  EXPECT_FALSE(is_loaded(path));
}

// Runs only when the out_of_tree_plugin test has built docs/examples/agreement_plugin and names
// the library in DAC_OUT_OF_TREE_PLUGIN.
TEST(OutOfTreePlugin, NegationVerbPairsNegationsWithTheirVerbs) {
  const char* library = std::getenv("DAC_OUT_OF_TREE_PLUGIN");
  if (!library || !*library)
    GTEST_SKIP() << "DAC_OUT_OF_TREE_PLUGIN is not set: the ctest test out_of_tree_plugin builds "
                    "the example plugin and runs this test with it";
  PluginHost host;
  host.load_library(library);

  // "she did not run very quickly": "not" negates the verb "run" (with its auxiliary "did");
  // "quickly" is an adverb but no negation.
  dac::Sentence sentence;
  sentence.text = "she did not run very quickly";
  sentence.words = {word("she", "PRON", "nsubj", 3),  word("did", "AUX", "aux", 3),
                    word("Not", "PART", "advmod", 3), word("run", "VERB", "root", -1),
                    word("very", "ADV", "advmod", 5), word("quickly", "ADV", "advmod", 3)};
  auto all = host.create<dac::AgreementExtractor>(table_named("negation_verb"), "agreement.0");
  EXPECT_EQ(all->type(), "negation_verb");
  const std::vector<dac::Chunk> chunks = all->extract(sentence);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].members, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(chunks[0].controller, 2);
  EXPECT_EQ(chunks[0].target, 3);

  ConfigNode table = table_named("negation_verb");
  table.set("include_aux", ConfigNode::boolean(false));
  const std::vector<dac::Chunk> without =
      host.create<dac::AgreementExtractor>(table, "agreement.0")->extract(sentence);
  ASSERT_EQ(without.size(), 1u);
  EXPECT_EQ(without[0].members, (std::vector<int>{2, 3}));

  ConfigNode quickly = table_named("negation_verb");
  ConfigNode words = ConfigNode::array();
  words.push_back(ConfigNode::string("QUICKLY"));
  quickly.set("words", words);
  const std::vector<dac::Chunk> adverbs =
      host.create<dac::AgreementExtractor>(quickly, "agreement.0")->extract(sentence);
  ASSERT_EQ(adverbs.size(), 1u);
  EXPECT_EQ(adverbs[0].controller, 5);

  table.set("include_aux", ConfigNode::string("no"));
  EXPECT_PRED2(contains,
               user_error_of([&] { host.create<dac::AgreementExtractor>(table, "agreement.0"); }),
               "agreement.0.include_aux: expected bool, got string");
}

}  // namespace
