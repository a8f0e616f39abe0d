// Loading plugin libraries with Boost.DLL: entry point and ABI checks, default search folders,
// and the registries the libraries fill.
#include "dac/plugin_host.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <cstdlib>

#include "dac/abi.hpp"
#include "dac/error.hpp"
#include "dac/kinds.hpp"
#include "dac/plugin.hpp"

namespace dac {
namespace fs = std::filesystem;

const char* host_abi_key() {
  return DAC_ABI_KEY;
}

PluginHost::PluginHost() {
  for (const KindInfo& kind : builtin_kinds())
    registries_.push_back(std::make_shared<Registry>(kind.name, kind.description));
}

PluginHost::~PluginHost() = default;

Registry& PluginHost::registry(std::string_view kind) {
  for (auto& registry : registries_)
    if (registry->kind() == kind) return *registry;
  registries_.push_back(std::make_shared<Registry>(std::string(kind), "(declared by a plugin)"));
  return *registries_.back();
}

const Registry* PluginHost::find_registry(std::string_view kind) const {
  for (const auto& registry : registries_)
    if (registry->kind() == kind) return registry.get();
  return nullptr;
}

std::vector<const Registry*> PluginHost::registries() const {
  std::vector<const Registry*> result;
  for (const auto& registry : registries_) result.push_back(registry.get());
  return result;
}

namespace {

// Boost.DLL reports a failed dlopen as a generic error code; dlopen's own text says why.
std::string dlopen_reason(const fs::path& path) {
  void* handle = ::dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL);
  if (handle) {
    ::dlclose(handle);
    return "unknown reason";
  }
  const char* reason = ::dlerror();
  return reason ? reason : "unknown reason";
}

constexpr const char* kFixHint =
    " A plugin library is built with dac_add_plugin() against this dacrun (find_package(dacrun)) "
    "and ends with DAC_PLUGIN_ENTRY(register_function); see docs/writing-plugins.md.";

}  // namespace

void PluginHost::load_library(const fs::path& path) {
  std::error_code error;
  const fs::path absolute = fs::weakly_canonical(fs::absolute(path), error);
  for (const auto& loaded : libraries_)
    if (loaded.path == absolute) return;
  if (!fs::exists(absolute))
    throw UserError("plugin library '" + path.string() + "' does not exist.");

  auto library = std::make_shared<boost::dll::shared_library>();
  boost::dll::fs::error_code load_error;
  library->load(absolute, boost::dll::load_mode::rtld_lazy | boost::dll::load_mode::rtld_local,
                load_error);
  if (load_error)
    throw UserError("cannot load plugin library '" + absolute.string() +
                    "': " + dlopen_reason(absolute) + "." + kFixHint);
  if (!library->has("dac_plugin_register"))
    throw UserError("'" + absolute.string() +
                    "' is not a dacrun plugin: it does not export the entry point "
                    "'dac_plugin_register'." +
                    kFixHint);
  if (!library->has("dac_plugin_abi_key"))
    throw UserError("'" + absolute.string() +
                    "' is not a dacrun plugin: it does not export its ABI key "
                    "'dac_plugin_abi_key'." +
                    kFixHint);
  const std::string key = library->get_alias<PluginAbiKeyFn>("dac_plugin_abi_key")();
  if (key != host_abi_key())
    throw UserError("plugin library '" + absolute.string() +
                    "' was built for another dacrun ABI: the library says '" + key +
                    "', this dacrun is '" + host_abi_key() +
                    "'. Rebuild the plugin against this dacrun installation.");

  auto& entry = library->get_alias<PluginRegisterFn>("dac_plugin_register");
  PluginRegistrar registrar(*this, absolute.string(), library);
  try {
    entry(registrar);
  } catch (const std::exception& failure) {
    for (auto& registry : registries_) registry->remove_library(absolute.string());
    throw UserError("plugin library '" + absolute.string() +
                    "' failed while registering its plugins: " + failure.what());
  }
  libraries_.push_back(LoadedLibrary{absolute, key, registrar.registered()});
}

void PluginHost::load_folder(const fs::path& folder) {
  if (!fs::is_directory(folder))
    throw UserError("plugin folder '" + folder.string() + "' does not exist.");
  std::vector<fs::path> candidates;
  for (const auto& item : fs::directory_iterator(folder)) {
    const std::string name = item.path().filename().string();
    if (item.is_regular_file() && name.starts_with("dac_") && item.path().extension() == ".so")
      candidates.push_back(item.path());
  }
  std::sort(candidates.begin(), candidates.end());
  for (const auto& candidate : candidates) load_library(candidate);
}

void PluginHost::load_path(const fs::path& path) {
  if (fs::is_directory(path))
    load_folder(path);
  else
    load_library(path);
}

ConfigNode PluginHost::describe_libraries() const {
  ConfigNode list = ConfigNode::array();
  for (const auto& library : libraries_) {
    ConfigNode entry = ConfigNode::table();
    entry.set("path", ConfigNode::string(library.path.string()));
    entry.set("abi_key", ConfigNode::string(library.abi_key));
    ConfigNode plugins = ConfigNode::array();
    for (const auto& registered : library.registered) {
      const auto slash = registered.find('/');
      const Registry* registry = find_registry(registered.substr(0, slash));
      const PluginInfo* info = registry ? registry->find(registered.substr(slash + 1)) : nullptr;
      plugins.push_back(ConfigNode::string(registered + "@" + (info ? info->spec.version : "?")));
    }
    entry.set("plugins", plugins);
    list.push_back(std::move(entry));
  }
  return list;
}

fs::path default_plugin_folder() {
  return boost::dll::this_line_location().parent_path() / "dacrun" / "plugins";
}

void PluginHost::load_default_plugins() {
  const fs::path folder = default_plugin_folder();
  if (fs::is_directory(folder)) load_folder(folder);
  const char* extra = std::getenv("DAC_PLUGIN_PATH");
  if (!extra) return;
  std::string_view rest(extra);
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const std::string entry(rest.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    if (entry.empty()) continue;
    if (!fs::exists(entry))
      throw UserError("DAC_PLUGIN_PATH names '" + entry +
                      "', which does not exist. Fix or unset DAC_PLUGIN_PATH.");
    load_path(entry);
  }
}

const ConfigNode& plugin_name_node(const ConfigNode& table, const std::string& path) {
  const ConfigNode* name = table.find("name");
  const std::string where = path.empty() ? "" : path + ": ";
  if (!name)
    throw ConfigError(table.origin().str() + ": " + where +
                      "missing key 'name' (the plugin to use)");
  if (name->type() != ConfigNode::Type::String)
    throw ConfigError(name->origin().str() + ": " + (path.empty() ? "name" : path + ".name") +
                      ": expected string, got " + name->type_name());
  return *name;
}

void PluginRegistrar::add_erased(std::string kind, PluginSpec spec, Registry::MakeFn make,
                                 Registry::DestroyFn destroy) {
  registered_.push_back(kind + "/" + spec.name);
  PluginInfo info{kind, std::move(spec), library_};
  host_.registry(kind).add(std::move(info), std::move(make), destroy, handle_);
}

}  // namespace dac
