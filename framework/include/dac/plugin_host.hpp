// The plugin host: owns one Registry per kind and the loaded plugin libraries, and builds
// components from config tables. Libraries come from the build's or installation's plugin folder,
// from DAC_PLUGIN_PATH, and from paths an experiment names.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dac/config.hpp"
#include "dac/registry.hpp"

namespace dac {

class PluginRegistrar;

struct LoadedLibrary {
  std::filesystem::path path;
  std::string abi_key;
  std::vector<std::string> registered;  // "kind/name"
};

class PluginHost {
 public:
  PluginHost();
  ~PluginHost();
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // The registry for a kind, created on first use. Built-in kinds carry a description.
  Registry& registry(std::string_view kind);
  const Registry* find_registry(std::string_view kind) const;
  std::vector<const Registry*> registries() const;

  // Loads one plugin library (a UserError with path and reason when it is not loadable, has no
  // dacrun entry point, or was built with another ABI key). Loading the same file twice is a no-op.
  void load_library(const std::filesystem::path& path);
  // Loads every `dac_*.so` in a folder (non-recursive, sorted by name).
  void load_folder(const std::filesystem::path& folder);
  // A file or a folder.
  void load_path(const std::filesystem::path& path);
  // The default plugin folder (next to the dacrun binary, or the installed one), then each entry
  // of DAC_PLUGIN_PATH (colon-separated files or folders).
  void load_default_plugins();

  const std::vector<LoadedLibrary>& libraries() const { return libraries_; }
  // Every loaded library with its ABI key and its plugins as "kind/name@version", for provenance.
  ConfigNode describe_libraries() const;

  // Builds a component of interface T (T::kind names the registry) from a table with a `name` key
  // and the component's options. `path` is the table's dotted key path, used in errors.
  template <class T>
  std::shared_ptr<T> create(const ConfigNode& table, const std::string& path);
  // Same, with the name given separately and `options` holding only the component's keys.
  template <class T>
  std::shared_ptr<T> create_named(std::string_view name, const ConfigNode& options,
                                  const std::string& path);

 private:
  template <class T>
  static std::shared_ptr<T> adopt(Registry::Made made);
  std::vector<std::shared_ptr<Registry>> registries_;
  std::vector<LoadedLibrary> libraries_;
};

// The folder dacrun loads its own plugins from: dacrun/plugins beside libdac_framework.so (the
// build tree mirrors the installed layout <prefix>/lib/dacrun/plugins).
std::filesystem::path default_plugin_folder();

// The `name` string of a plugin-selection table; a ConfigError at `path` if absent or not a string.
const ConfigNode& plugin_name_node(const ConfigNode& table, const std::string& path);

template <class T>
std::shared_ptr<T> PluginHost::adopt(Registry::Made made) {
  auto* object = static_cast<T*>(made.object);
  return std::shared_ptr<T>(
      object, [destroy = made.destroy, library = std::move(made.library)](T* p) { destroy(p); });
}

template <class T>
std::shared_ptr<T> PluginHost::create(const ConfigNode& table, const std::string& path) {
  const ConfigNode& name = plugin_name_node(table, path);
  ConfigNode options = table;
  options.erase("name");
  return adopt<T>(registry(T::kind).make(name.as_string(), options, path, &name));
}

template <class T>
std::shared_ptr<T> PluginHost::create_named(std::string_view name, const ConfigNode& options,
                                            const std::string& path) {
  return adopt<T>(registry(T::kind).make(name, options, path));
}

}  // namespace dac
