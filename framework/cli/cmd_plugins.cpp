// `dacrun plugins`: every plugin kind, the plugins registered in it, the library each came from,
// and each plugin's config keys with type, default and help.
#include <iostream>

#include "cli.hpp"
#include "dac/error.hpp"
#include "dac/kinds.hpp"
#include "dac/plugin_host.hpp"
#include "dac/suggest.hpp"

namespace dac::cli {

namespace {

std::string default_text(const KeySpec& key) {
  if (key.default_value) return " = " + to_json(*key.default_value);
  return key.optional ? " (optional)" : " (required)";
}

void print_schema(const ConfigSchema& schema, const std::string& indent) {
  if (schema.keys().empty()) {
    std::cout << indent << "(no keys)\n";
    return;
  }
  for (const KeySpec& key : schema.keys()) {
    std::cout << indent << key.name << ": "
              << (key.plugin_kind.empty() ? std::string(key_type_name(key.type))
                                          : key.plugin_kind + " plugin")
              << default_text(key);
    if (!key.choices.empty()) std::cout << "  [one of: " << join_names(key.choices) << "]";
    if (key.min) std::cout << "  [min " << *key.min << "]";
    if (key.max) std::cout << "  [max " << *key.max << "]";
    std::cout << "\n" << indent << "    " << key.help << "\n";
    if (key.nested) print_schema(*key.nested, indent + "  ");
  }
}

std::string kind_header(std::string_view kind) {
  for (const KindInfo& info : builtin_kinds())
    if (info.name == kind) return info.header;
  return "";
}

}  // namespace

int plugins_command(const Args& args) {
  po::options_description options("options");
  options.add_options()("kind", po::value<std::string>(), "list only this kind");
  add_plugin_option(options);
  po::variables_map values;
  if (!parse_arguments(args, options, {}, values, "usage: dacrun plugins [--kind K]"))
    return kExitOk;

  PluginHost host;
  load_plugins(host, values);
  std::vector<std::string> kinds;
  for (const Registry* registry : host.registries()) kinds.push_back(registry->kind());
  std::string only;
  if (values.count("kind")) {
    only = values["kind"].as<std::string>();
    if (!host.find_registry(only))
      throw UserError("unknown plugin kind '" + only + "'" + did_you_mean(only, kinds) +
                      "; kinds: " + join_names(kinds));
  }

  std::cout << "plugin libraries loaded: " << host.libraries().size() << "\n";
  for (const auto& library : host.libraries()) std::cout << "  " << library.path.string() << "\n";
  for (const Registry* registry : host.registries()) {
    if (!only.empty() && registry->kind() != only) continue;
    std::cout << "\n" << registry->kind() << ": " << registry->description();
    if (const std::string header = kind_header(registry->kind()); !header.empty())
      std::cout << "  (interface: " << header << ")";
    std::cout << "\n";
    if (registry->list().empty()) std::cout << "  (none registered)\n";
    for (const PluginInfo* info : registry->list()) {
      std::cout << "  " << info->spec.name << "  version " << info->spec.version << "  from "
                << info->library << "\n    " << info->spec.summary << "\n";
      print_schema(info->spec.schema, "      ");
      for (const auto& section : info->spec.config_sections) {
        std::cout << "    reads [" << section.name << "]: " << section.help << "\n";
        print_schema(section.schema, "      ");
      }
    }
  }
  return kExitOk;
}

}  // namespace dac::cli
