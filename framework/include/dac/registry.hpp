// Plugin registries: one per kind (stage, corpus, encoder, ...). A registry maps a name to a
// factory that receives that component's validated config table. Entries remember the library that
// made them and keep it loaded, as does every object they create.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dac/config.hpp"
#include "dac/options.hpp"

namespace dac {

// A top-level config table a stage reads (e.g. [train]) and the keys it accepts.
struct SectionSpec {
  std::string name;
  ConfigSchema schema;
  std::string help;
};

// What a plugin says about itself when it registers.
struct PluginSpec {
  std::string name;     // unique within its kind; snake_case
  std::string version;  // enters the hash of every stage that uses the plugin
  std::string summary;  // one line for `dacrun plugins`
  ConfigSchema schema;  // the keys of its config table (besides `name`)
  // Stages only: top-level config tables the stage reads, each validated by its schema; they
  // enter the stage's hash.
  std::vector<SectionSpec> config_sections;
};

struct PluginInfo {
  std::string kind;
  PluginSpec spec;
  std::string library;  // path of the shared library that registered it
};

class Registry {
 public:
  using MakeFn = std::function<void*(const Options&)>;
  using DestroyFn = void (*)(void*);

  Registry(std::string kind, std::string description);

  const std::string& kind() const { return kind_; }
  const std::string& description() const { return description_; }
  std::vector<std::string> names() const;
  std::vector<const PluginInfo*> list() const;
  const PluginInfo* find(std::string_view name) const;

  // The entry called `name`; an unknown name is a UserError listing the registered names with a
  // close-match suggestion. `where` (optional) is the config value that named it.
  const PluginInfo& require(std::string_view name, const ConfigNode* where = nullptr,
                            std::string_view key_path = {}) const;

  // Checks that `table` (with a `name` key) selects a registered plugin and that its other keys
  // fit that plugin's schema, without constructing anything. Errors are reported at `path`.
  void check_selection(const ConfigNode& table, const std::string& path) const;

  // Validates `options` against the entry's schema (reporting errors at `path`) and constructs.
  // The returned pointer must be released with the entry's destroy function; use
  // PluginHost::create<T>, which does this.
  struct Made {
    void* object;
    DestroyFn destroy;
    std::shared_ptr<void> library;
  };
  Made make(std::string_view name, const ConfigNode& options, const std::string& path,
            const ConfigNode* where = nullptr) const;

  // Duplicate names are UserErrors naming both libraries.
  void add(PluginInfo info, MakeFn make, DestroyFn destroy, std::shared_ptr<void> library);
  // Removes the entries a library registered (used when a library fails part-way).
  void remove_library(const std::string& library);

 private:
  struct Entry {
    // Declared first so it is destroyed last: `make` may hold code from the library.
    std::shared_ptr<void> library;  // keeps the plugin's code loaded
    PluginInfo info;
    MakeFn make;
    DestroyFn destroy;
  };
  std::string kind_;
  std::string description_;
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace dac
