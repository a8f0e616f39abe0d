// What a plugin library includes: the registrar it receives and the macro that exports its
// entry point and ABI key. A library defines one registration function and names it with
// DAC_PLUGIN_ENTRY:
//
//   void register_plugins(dac::PluginRegistrar& registrar) {
//     registrar.add<dac::AgreementExtractor>(
//         {.name = "adverb_verb", .version = "1", .summary = "adverb -> verb (advmod)"},
//         [](const dac::Options&) { return std::make_unique<AdverbVerb>(); });
//   }
//   DAC_PLUGIN_ENTRY(register_plugins)
#pragma once

#include <boost/dll/alias.hpp>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "dac/abi.hpp"
#include "dac/options.hpp"
#include "dac/registry.hpp"

namespace dac {

class PluginHost;

class PluginRegistrar {
 public:
  PluginRegistrar(PluginHost& host, std::string library, std::shared_ptr<void> handle)
      : host_(host), library_(std::move(library)), handle_(std::move(handle)) {}

  // Registers a component of interface T under spec.name in the registry of kind T::kind.
  template <class T, class Factory>
  void add(PluginSpec spec, Factory factory) {
    std::function<std::unique_ptr<T>(const Options&)> typed = std::move(factory);
    add_erased(
        std::string(T::kind), std::move(spec),
        [typed = std::move(typed)](const Options& options) -> void* {
          return typed(options).release();
        },
        [](void* object) { delete static_cast<T*>(object); });
  }

  const std::string& library() const { return library_; }
  const std::vector<std::string>& registered() const { return registered_; }
  // The host loading this library, for factories that build nested plugins (an encoder whose
  // submodels are plugins too). It outlives every component it creates.
  PluginHost& host() const { return host_; }

 private:
  void add_erased(std::string kind, PluginSpec spec, Registry::MakeFn make,
                  Registry::DestroyFn destroy);
  PluginHost& host_;
  std::string library_;
  std::shared_ptr<void> handle_;
  std::vector<std::string> registered_;
};

using PluginRegisterFn = void(PluginRegistrar&);
using PluginAbiKeyFn = const char*();

}  // namespace dac

// Exports the library's entry point `dac_plugin_register` and its ABI key `dac_plugin_abi_key`.
#define DAC_PLUGIN_ENTRY(register_function)                           \
  namespace {                                                         \
  const char* dac_plugin_abi_key_value() {                            \
    return DAC_ABI_KEY;                                               \
  }                                                                   \
  void dac_plugin_register_entry(::dac::PluginRegistrar& registrar) { \
    register_function(registrar);                                     \
  }                                                                   \
  }                                                                   \
  BOOST_DLL_ALIAS(dac_plugin_abi_key_value, dac_plugin_abi_key)       \
  BOOST_DLL_ALIAS(dac_plugin_register_entry, dac_plugin_register)
