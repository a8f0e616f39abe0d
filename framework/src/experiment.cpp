// Expanding an experiment file into runs: variants, sweep points, overrides, validation of every
// table against the schema of the component that reads it, the stage graph and the stage hashes.
#include "dac/experiment.hpp"

#include <set>

#include "dac/error.hpp"
#include "dac/plugin_host.hpp"
#include "dac/suggest.hpp"

namespace dac {
namespace fs = std::filesystem;

namespace {

constexpr const char* kReservedStageKeys[] = {"name", "kind", "inputs"};

bool is_simple_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

const ConfigNode& require_string(const ConfigNode& table, std::string_view key,
                                 const std::string& path) {
  const ConfigNode* value = table.find(key);
  if (!value) config_fail(table, path, "missing required key '" + std::string(key) + "'");
  if (value->type() != ConfigNode::Type::String)
    config_fail(*value, path + "." + std::string(key),
                std::string("expected string, got ") + value->type_name());
  return *value;
}

// Collects the sweep axes: every non-table leaf under `axes` must be an array of values.
void collect_axes(const ConfigNode& table, const std::string& prefix,
                  std::vector<std::pair<std::string, const ConfigNode*>>& axes) {
  for (const auto& [key, value] : table.entries()) {
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    if (value.is_table()) {
      collect_axes(value, path, axes);
    } else if (!value.is_array() || value.items().empty()) {
      config_fail(value, "sweep.axes." + path,
                  "expected a non-empty array of the values to sweep, got " +
                      std::string(value.is_array() ? "an empty array" : value.type_name()));
    } else {
      axes.emplace_back(path, &value);
    }
  }
}

using SweepPoint = std::vector<std::pair<std::string, ConfigNode>>;

std::vector<SweepPoint> sweep_points(const ConfigNode& sweep) {
  static const ConfigSchema schema =
      ConfigSchema()
          .string("mode", "grid",
                  "grid: every combination; list: the i-th value "
                  "of every axis together")
          .choices({"grid", "list"})
          .optional("axes", KeyType::AnyTable, "key path -> array of values");
  const Options options = schema.validate(sweep, "sweep");
  std::vector<std::pair<std::string, const ConfigNode*>> axes;
  if (options.has("axes")) collect_axes(options.node("axes"), "", axes);
  if (axes.empty()) return {};

  std::vector<SweepPoint> points;
  if (options.string("mode") == "list") {
    const std::size_t count = axes.front().second->items().size();
    for (const auto& [path, values] : axes)
      if (values->items().size() != count)
        config_fail(*values, "sweep.axes." + path,
                    "a list sweep needs axes of equal length: '" + axes.front().first + "' has " +
                        std::to_string(count) + " values, this one " +
                        std::to_string(values->items().size()));
    for (std::size_t i = 0; i < count; ++i) {
      SweepPoint point;
      for (const auto& [path, values] : axes) point.emplace_back(path, values->items()[i]);
      points.push_back(std::move(point));
    }
    return points;
  }
  points.push_back({});
  for (const auto& [path, values] : axes) {
    std::vector<SweepPoint> expanded;
    for (const auto& point : points)
      for (const auto& value : values->items()) {
        SweepPoint next = point;
        next.emplace_back(path, value);
        expanded.push_back(std::move(next));
      }
    points = std::move(expanded);
  }
  return points;
}

}  // namespace

const ConfigSchema& experiment_schema() {
  static const ConfigSchema schema =
      ConfigSchema()
          .string("name", "", "experiment name (default: the file name without .toml)")
          .string("description", "", "one line saying what the experiment is for")
          .string("runs_dir", "runs",
                  "folder that holds run folders and the shared stage cache (relative to the "
                  "current folder)")
          .integer("seed", 0, "seed given to every stage")
          .min(0);
  return schema;
}

std::string content_hash(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a, 64 bit
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  static const char* digits = "0123456789abcdef";
  std::string hex(16, '0');
  for (int i = 15; i >= 0; --i, hash >>= 4) hex[i] = digits[hash & 15];
  return hex;
}

ConfigNode load_experiment_file(const fs::path& file) {
  return load_config(file);
}

std::vector<std::string> variant_names(const ConfigNode& file_config) {
  const ConfigNode* variants = file_config.find("variants");
  if (!variants) return {"default"};
  if (!variants->is_table())
    config_fail(*variants, "variants",
                std::string("expected a table of named variants, got ") + variants->type_name());
  std::vector<std::string> names = variants->keys();
  for (const auto& name : names) {
    const ConfigNode& overlay = *variants->find(name);
    if (!overlay.is_table())
      config_fail(overlay, "variants." + name,
                  std::string("expected a table (the keys this variant changes), got ") +
                      overlay.type_name());
    if (!is_simple_name(name))
      config_fail(overlay, "variants." + name,
                  "variant names may use letters, digits, '_' and '-' only");
  }
  if (names.empty()) return {"default"};
  return names;
}

VariantConfig resolve_variant(const ConfigNode& file_config, const std::string& variant) {
  VariantConfig result;
  result.config = file_config;
  result.config.erase("variants");
  // An absent or empty [variants] table means one run called "default".
  const std::vector<std::string> names = variant_names(file_config);
  const ConfigNode* variants = file_config.find("variants");
  if (const ConfigNode* overlay = variants ? variants->find(variant) : nullptr) {
    merge_into(result.config, *overlay);
  } else if (names != std::vector<std::string>{"default"}) {
    throw UserError("unknown variant '" + variant + "'" + did_you_mean(variant, names) +
                    "; the experiment defines: " + join_names(names));
  } else if (variant != "default") {
    throw UserError("unknown variant '" + variant +
                    "': the experiment defines no [variants], so its only run is 'default'");
  }
  if (const ConfigNode* sweep = result.config.find("sweep")) {
    if (!sweep->is_table())
      config_fail(*sweep, "sweep", std::string("expected a table, got ") + sweep->type_name());
    result.sweep_points = sweep_points(*sweep);
    result.config.erase("sweep");
  }
  return result;
}

ConfigNode resolve_run_config(const ConfigNode& file_config, const std::string& variant, int point,
                              const std::vector<ConfigNode>& overrides) {
  VariantConfig resolved = resolve_variant(file_config, variant);
  if (point >= 0) {
    if (point >= static_cast<int>(resolved.sweep_points.size()))
      throw UserError("sweep point " + std::to_string(point) + " does not exist: variant '" +
                      variant + "' has " + std::to_string(resolved.sweep_points.size()) +
                      " sweep points (numbered from 0)");
    for (const auto& [path, value] : resolved.sweep_points[point]) {
      try {
        resolved.config.set_path(path, value);
      } catch (const ConfigError& error) {
        config_fail(value, "sweep.axes." + path, error.what());
      }
    }
  }
  for (const auto& override_table : overrides) merge_into(resolved.config, override_table);
  return resolved.config;
}

void load_experiment_plugins(const ConfigNode& config, PluginHost& host) {
  const ConfigNode* plugins = config.find("plugins");
  if (!plugins) return;
  static const ConfigSchema schema = ConfigSchema().strings(
      "paths", {}, "plugin libraries or folders to load, relative to the file that names them");
  const Options options = schema.validate(*plugins, "plugins");
  for (const auto& entry : options.node("paths").items()) {
    const fs::path path = resolve_config_path(entry);
    if (!fs::exists(path))
      config_fail(entry, "plugins.paths",
                  "plugin path '" + entry.as_string() + "' (resolved to '" + path.string() +
                      "') does not exist");
    host.load_path(path);
  }
}

namespace {

// Top-level keys a run config may hold: the framework's own and the sections stages declare.
std::vector<std::string> valid_top_level_keys(PluginHost& host) {
  std::vector<std::string> keys{"experiment", "plugins", "stages"};
  for (const PluginInfo* info : host.registry("stage").list())
    for (const auto& section : info->spec.config_sections)
      if (std::find(keys.begin(), keys.end(), section.name) == keys.end())
        keys.push_back(section.name);
  return keys;
}

// Every section a stage plugin declares is validated by that plugin's schema.
std::vector<Options> validate_sections(const ConfigNode& config, const PluginInfo& stage) {
  std::vector<Options> sections;
  for (const auto& section : stage.spec.config_sections) {
    const ConfigNode* table = config.find(section.name);
    const ConfigNode empty = ConfigNode::table();
    if (table && !table->is_table())
      config_fail(*table, section.name, std::string("expected a table, got ") + table->type_name());
    sections.push_back(section.schema.validate(table ? *table : empty, section.name));
  }
  return sections;
}

// "kind/name@version" of every plugin a table selects by a `name` key.
void collect_plugin_refs(const ConfigNode& node, PluginHost& host, std::set<std::string>& refs) {
  if (node.is_array()) {
    for (const auto& item : node.items()) collect_plugin_refs(item, host, refs);
    return;
  }
  if (!node.is_table()) return;
  for (const auto& [key, value] : node.entries()) {
    if (key == "name" && value.type() == ConfigNode::Type::String) {
      for (const Registry* registry : host.registries())
        if (const PluginInfo* info = registry->find(value.as_string()))
          refs.insert(info->kind + "/" + info->spec.name + "@" + info->spec.version);
    } else {
      collect_plugin_refs(value, host, refs);
    }
  }
}

// Keys that select plugins (ConfigSchema::plugin) are checked against their registries now, so a
// misspelt plugin or key is reported before any stage runs.
void check_plugin_selections(const ConfigSchema& schema, const Options& options,
                             const std::string& path, PluginHost& host) {
  for (const KeySpec& key : schema.keys()) {
    if (key.plugin_kind.empty() || !options.has(key.name)) continue;
    const ConfigNode& value = options.node(key.name);
    const Registry& registry = host.registry(key.plugin_kind);
    const std::string key_path = options.key_path(key.name);
    if (value.type() == ConfigNode::Type::String) {
      registry.require(value.as_string(), &value, key_path);
    } else if (value.is_array()) {
      if (value.items().empty())
        config_fail(value, key_path, "expected at least one " + key.plugin_kind + " table");
      for (std::size_t i = 0; i < value.items().size(); ++i)
        registry.check_selection(value.items()[i], key_path + "[" + std::to_string(i) + "]");
    } else {
      registry.check_selection(value, key_path);
    }
  }
}

std::vector<StagePlan> plan_stages(const ConfigNode& config, std::uint64_t seed,
                                   const fs::path& runs_dir, PluginHost& host) {
  const ConfigNode* stages = config.find("stages");
  if (!stages)
    throw ConfigError(config.origin().str() +
                      ": the experiment has no [[stages]]; add at least one, e.g.\n"
                      "  [[stages]]\n  name = \"system\"\n  kind = \"system_check\"");
  if (!stages->is_array())
    config_fail(
        *stages, "stages",
        std::string("expected an array of tables ([[stages]]), got ") + stages->type_name());

  Registry& registry = host.registry("stage");
  std::vector<StagePlan> plans;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < stages->items().size(); ++i) {
    const ConfigNode& entry = stages->items()[i];
    const std::string index_path = "stages[" + std::to_string(i) + "]";
    if (!entry.is_table())
      config_fail(entry, index_path, std::string("expected a table, got ") + entry.type_name());
    StagePlan plan;
    const ConfigNode& name = require_string(entry, "name", index_path);
    plan.name = name.as_string();
    if (!is_simple_name(plan.name))
      config_fail(name, index_path + ".name",
                  "stage names may use letters, digits, '_' and '-' only");
    if (std::find(names.begin(), names.end(), plan.name) != names.end())
      config_fail(name, index_path + ".name", "two stages are named '" + plan.name + "'");
    const std::string path = "stages." + plan.name;
    const ConfigNode& kind = require_string(entry, "kind", path);
    plan.kind = kind.as_string();
    const PluginInfo& info = registry.require(plan.kind, &kind, path + ".kind");

    if (const ConfigNode* inputs = entry.find("inputs")) {
      if (!inputs->is_array())
        config_fail(*inputs, path + ".inputs",
                    std::string("expected a list of stage names, got ") + inputs->type_name());
      for (const auto& input : inputs->items()) {
        if (input.type() != ConfigNode::Type::String)
          config_fail(input, path + ".inputs",
                      std::string("expected stage names (strings), got ") + input.type_name());
        if (std::find(names.begin(), names.end(), input.as_string()) == names.end())
          config_fail(input, path + ".inputs",
                      "'" + input.as_string() + "' is not a stage listed before '" + plan.name +
                          "'" + did_you_mean(input.as_string(), names) +
                          "; stages run in file order, so an input must come earlier. Stages "
                          "before it: " +
                          join_names(names));
        plan.inputs.push_back(input.as_string());
      }
    }
    plan.options = entry;
    for (const char* reserved : kReservedStageKeys) plan.options.erase(reserved);
    const Options options = info.spec.schema.validate(plan.options, path);
    check_plugin_selections(info.spec.schema, options, path, host);
    plan.sections = validate_sections(config, info);
    const std::vector<Options>& sections = plan.sections;

    ConfigNode hashed = ConfigNode::table();
    hashed.set("kind", ConfigNode::string(plan.kind));
    hashed.set("version", ConfigNode::string(info.spec.version));
    hashed.set("seed", ConfigNode::integer(static_cast<std::int64_t>(seed)));
    hashed.set("options", options.raw());
    ConfigNode section_table = ConfigNode::table();
    for (const auto& section : sections) section_table.set(section.path(), section.raw());
    hashed.set("sections", section_table);
    ConfigNode input_hashes = ConfigNode::table();
    for (const auto& input : plan.inputs)
      for (const auto& earlier : plans)
        if (earlier.name == input) input_hashes.set(input, ConfigNode::string(earlier.hash));
    hashed.set("inputs", input_hashes);
    std::set<std::string> refs;
    collect_plugin_refs(hashed, host, refs);
    ConfigNode ref_list = ConfigNode::array();
    for (const auto& ref : refs) ref_list.push_back(ConfigNode::string(ref));
    hashed.set("plugins", ref_list);

    plan.hash = content_hash(canonical_json(hashed));
    plan.hash_input = std::move(hashed);
    plan.dir = runs_dir / "stages" / (plan.kind + "-" + plan.hash);
    names.push_back(plan.name);
    plans.push_back(std::move(plan));
  }
  return plans;
}

void validate_top_level(const ConfigNode& config, PluginHost& host) {
  const std::vector<std::string> valid = valid_top_level_keys(host);
  for (const auto& [key, value] : config.entries())
    if (std::find(valid.begin(), valid.end(), key) == valid.end())
      config_fail(value, key,
                  "unknown top-level key" + did_you_mean(key, valid) +
                      "; valid keys: " + join_names(valid) +
                      " (stages declare the sections they read; see "
                      "`dacrun plugins --kind stage`)");
}

}  // namespace

ExperimentPlan plan_experiment(const ExperimentRequest& request, PluginHost& host) {
  const ConfigNode file_config = load_experiment_file(request.file);
  std::vector<ConfigNode> overrides;
  for (const auto& text : request.overrides) overrides.push_back(parse_override(text));

  std::vector<std::string> variants = variant_names(file_config);
  if (!request.only.empty()) {
    for (const auto& wanted : request.only)
      if (std::find(variants.begin(), variants.end(), wanted) == variants.end())
        throw UserError("--only names unknown variant '" + wanted + "'" +
                        did_you_mean(wanted, variants) + "; " + request.file.string() +
                        " defines: " + join_names(variants));
    // File order, each variant once.
    std::erase_if(variants, [&](const std::string& name) {
      return std::find(request.only.begin(), request.only.end(), name) == request.only.end();
    });
  }

  ExperimentPlan plan;
  plan.file = request.file;
  for (const auto& variant : variants) {
    const VariantConfig resolved = resolve_variant(file_config, variant);
    const int points = static_cast<int>(resolved.sweep_points.size());
    for (int point = points == 0 ? -1 : 0; point < points; ++point) {
      RunPlan run;
      run.variant = variant;
      run.sweep_index = point;
      if (point >= 0) run.sweep_point = resolved.sweep_points[point];
      run.config = resolve_run_config(file_config, variant, point, overrides);
      load_experiment_plugins(run.config, host);
      validate_top_level(run.config, host);
      const ConfigNode empty = ConfigNode::table();
      const ConfigNode* experiment_table = run.config.find("experiment");
      const Options experiment =
          experiment_schema().validate(experiment_table ? *experiment_table : empty, "experiment");
      std::string name = experiment.string("name");
      if (name.empty()) name = request.file.stem().string();
      if (!is_simple_name(name))
        experiment.fail("name", "experiment names may use letters, digits, '_' and '-' only");
      const fs::path runs_dir =
          request.runs_dir.empty() ? fs::path(experiment.string("runs_dir")) : request.runs_dir;
      if (plan.name.empty()) {
        plan.name = name;
        plan.runs_dir = runs_dir;
      } else if (name != plan.name || runs_dir != plan.runs_dir) {
        throw ConfigError("variant '" + variant + "' changes [experiment] name or runs_dir ('" +
                          name + "', '" + runs_dir.string() + "' instead of '" + plan.name +
                          "', '" + plan.runs_dir.string() +
                          "'); every run of an experiment shares them, so set them outside "
                          "[variants] and [sweep]");
      }
      run.seed = static_cast<std::uint64_t>(experiment.integer("seed"));
      run.stages = plan_stages(run.config, run.seed, plan.runs_dir, host);
      run.hash = content_hash(canonical_json(run.config));
      run.folder_name = plan.name + "-" + variant +
                        (point >= 0 ? "-p" + std::to_string(point) : std::string()) + "-" +
                        run.hash.substr(0, 10);
      plan.experiment_dir = plan.runs_dir / plan.name;
      run.dir = plan.experiment_dir / run.folder_name;
      plan.runs.push_back(std::move(run));
    }
  }
  return plan;
}

}  // namespace dac
