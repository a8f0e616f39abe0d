// One registry per plugin kind: name lookup with helpful errors, validation of a component's
// table against its schema, construction through the factory the plugin registered.
#include "dac/registry.hpp"

#include <algorithm>

#include "dac/error.hpp"
#include "dac/options.hpp"
#include "dac/suggest.hpp"

namespace dac {

Registry::Registry(std::string kind, std::string description)
    : kind_(std::move(kind)), description_(std::move(description)) {}

std::vector<std::string> Registry::names() const {
  std::vector<std::string> result;
  for (const auto& [name, entry] : entries_) result.push_back(name);
  return result;
}

std::vector<const PluginInfo*> Registry::list() const {
  std::vector<const PluginInfo*> result;
  for (const auto& [name, entry] : entries_) result.push_back(&entry.info);
  return result;
}

const PluginInfo* Registry::find(std::string_view name) const {
  auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : &it->second.info;
}

const PluginInfo& Registry::require(std::string_view name, const ConfigNode* where,
                                    std::string_view key_path) const {
  if (const PluginInfo* info = find(name)) return *info;
  std::string message;
  if (where) message += where->origin().str() + ": ";
  if (!key_path.empty()) message += std::string(key_path) + ": ";
  message += "unknown " + kind_ + " plugin '" + std::string(name) + "'" +
             did_you_mean(name, names()) + "; registered " + kind_ +
             " plugins: " + join_names(names()) +
             ". Run `dacrun plugins` to see every plugin and the library it comes from; a plugin "
             "in another library is loaded with DAC_PLUGIN_PATH or [plugins] paths.";
  throw UserError(message);
}

Registry::Made Registry::make(std::string_view name, const ConfigNode& options,
                              const std::string& path, const ConfigNode* where) const {
  const PluginInfo& info = require(name, where, path.empty() ? path : path + ".name");
  const Entry& entry = entries_.find(name)->second;
  Options validated = info.spec.schema.validate(options, path);
  return Made{entry.make(validated), entry.destroy, entry.library};
}

void Registry::check_selection(const ConfigNode& table, const std::string& path) const {
  if (!table.is_table())
    throw ConfigError(table.origin().str() + ": " + path + ": expected a table selecting a " +
                      kind_ + " plugin with `name`, got " + table.type_name());
  const ConfigNode* name = table.find("name");
  if (!name)
    throw ConfigError(table.origin().str() + ": " + path + ": missing key 'name' (the " + kind_ +
                      " plugin to use; registered: " + join_names(names()) + ")");
  if (name->type() != ConfigNode::Type::String)
    throw ConfigError(name->origin().str() + ": " + path + ".name: expected string, got " +
                      name->type_name());
  const PluginInfo& info = require(name->as_string(), name, path + ".name");
  ConfigNode options = table;
  options.erase("name");
  info.spec.schema.validate(options, path);
}

void Registry::add(PluginInfo info, MakeFn make, DestroyFn destroy, std::shared_ptr<void> library) {
  if (info.spec.name.empty())
    throw UserError(info.library + ": a " + kind_ + " plugin was registered with an empty name");
  if (const PluginInfo* existing = find(info.spec.name))
    throw UserError("duplicate " + kind_ + " plugin '" + info.spec.name + "': registered by " +
                    existing->library + " and again by " + info.library +
                    ". Rename one of them or load only one of the two libraries.");
  std::string name = info.spec.name;
  entries_.emplace(std::move(name),
                   Entry{std::move(library), std::move(info), std::move(make), destroy});
}

void Registry::remove_library(const std::string& library) {
  std::erase_if(entries_, [&](const auto& item) { return item.second.info.library == library; });
}

}  // namespace dac
