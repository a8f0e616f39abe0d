// A fine-tuning run's results.json: GlueRunResult to and from a configuration tree, every field
// checked on reading with an error naming the file and the field; and the headline metric of a
// run's predictions by name.
#include "dac/glue/glue_results.hpp"

#include <string_view>

#include "dac/error.hpp"
#include "dac/glue/metrics.hpp"
#include "dac/json_config.hpp"
#include "dac/summary.hpp"

namespace dac::glue {
namespace {

// Reads the fields of one table of a results file; every error names the file and the field.
class FieldReader {
 public:
  FieldReader(const ConfigNode& table, std::string source, std::string prefix = "")
      : table_(table), source_(std::move(source)), prefix_(std::move(prefix)) {
    if (!table.is_table())
      throw UserError(source_ + ": " + where() + "expected a table, got " + table.type_name());
  }

  const ConfigNode& field(std::string_view key, ConfigNode::Type type) const {
    const ConfigNode* node = table_.find(key);
    if (!node) throw UserError(source_ + ": missing field '" + path(key) + "'");
    check_type(*node, path(key), type);
    return *node;
  }
  std::string string(std::string_view key) const {
    return field(key, ConfigNode::Type::String).as_string();
  }
  std::int64_t integer(std::string_view key) const {
    return field(key, ConfigNode::Type::Int).as_int();
  }
  double number(std::string_view key) const {
    return field(key, ConfigNode::Type::Float).as_float();
  }
  std::vector<double> numbers(std::string_view key) const {
    std::vector<double> values;
    const ConfigNode& array = field(key, ConfigNode::Type::Array);
    for (std::size_t i = 0; i < array.items().size(); ++i) {
      const ConfigNode& item = array.items()[i];
      check_type(item, path(key) + "[" + std::to_string(i) + "]", ConfigNode::Type::Float);
      values.push_back(item.as_float());
    }
    return values;
  }
  FieldReader table(std::string_view key) const {
    return FieldReader(field(key, ConfigNode::Type::Table), source_, path(key));
  }
  FieldReader element(std::string_view key, std::size_t index) const {
    return FieldReader(field(key, ConfigNode::Type::Array).items().at(index), source_,
                       path(key) + "[" + std::to_string(index) + "]");
  }

  const ConfigNode& node() const { return table_; }
  const std::string& source() const { return source_; }
  std::string path(std::string_view key) const {
    return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
  }

 private:
  // Float accepts integers too (JSON writes 2.0 as 2 in other tools).
  void check_type(const ConfigNode& node, const std::string& field_path,
                  ConfigNode::Type type) const {
    const bool ok = type == ConfigNode::Type::Float ? node.is_number() : node.type() == type;
    if (!ok)
      throw UserError(source_ + ": field '" + field_path + "': expected " +
                      (type == ConfigNode::Type::Float ? "a number"
                                                       : std::string(ConfigNode::type_name(type))) +
                      ", got " + node.type_name());
  }
  std::string where() const { return prefix_.empty() ? "" : "field '" + prefix_ + "': "; }

  const ConfigNode& table_;
  std::string source_;
  std::string prefix_;
};

ConfigNode number_array(const std::vector<double>& values) {
  ConfigNode array = ConfigNode::array();
  for (double value : values) array.push_back(ConfigNode::real(value));
  return array;
}

}  // namespace

ConfigNode to_config(const GlueRunResult& result) {
  ConfigNode table = ConfigNode::table();
  table.set("model", ConfigNode::string(result.model));
  table.set("task", ConfigNode::string(result.task));
  table.set("split", ConfigNode::string(result.split));
  table.set("headline", ConfigNode::string(result.headline));
  table.set("finetune_seed", ConfigNode::integer(result.finetune_seed));
  table.set("pretrain_seed", ConfigNode::integer(result.pretrain_seed));
  ConfigNode metrics = ConfigNode::table();
  for (const auto& [name, value] : result.metrics) metrics.set(name, ConfigNode::real(value));
  table.set("metrics", std::move(metrics));
  table.set("predictions", number_array(result.predictions));
  table.set("gold", number_array(result.gold));
  ConfigNode curve = ConfigNode::array();
  for (const EpochPoint& point : result.curve) {
    ConfigNode entry = ConfigNode::table();
    entry.set("epoch", ConfigNode::integer(point.epoch));
    entry.set("train_loss", ConfigNode::real(point.train_loss));
    entry.set("dev_score", ConfigNode::real(point.dev_score));
    curve.push_back(std::move(entry));
  }
  table.set("curve", std::move(curve));
  if (!result.zeroed.empty()) {
    ConfigNode zeroed = ConfigNode::table();
    for (const auto& [type, score] : result.zeroed) zeroed.set(type, ConfigNode::real(score));
    table.set("zeroed", std::move(zeroed));
  }
  table.set("pretraining", result.pretraining);
  table.set("finetuning", result.finetuning);
  return table;
}

GlueRunResult glue_run_result_from(const ConfigNode& table, const std::string& source) {
  const FieldReader fields(table, source);
  GlueRunResult result;
  result.model = fields.string("model");
  result.task = fields.string("task");
  result.split = fields.string("split");
  result.headline = fields.string("headline");
  result.finetune_seed = fields.integer("finetune_seed");
  result.pretrain_seed = fields.integer("pretrain_seed");
  const FieldReader metrics = fields.table("metrics");
  for (const std::string& name : metrics.node().keys()) result.metrics[name] = metrics.number(name);
  if (!result.metrics.count(result.headline))
    throw UserError(source + ": field 'headline': '" + result.headline +
                    "' is not one of the metrics");
  result.predictions = fields.numbers("predictions");
  result.gold = fields.numbers("gold");
  if (result.predictions.size() != result.gold.size())
    throw UserError(source + ": fields 'predictions' and 'gold' differ in length (" +
                    std::to_string(result.predictions.size()) + " and " +
                    std::to_string(result.gold.size()) + ")");
  const std::size_t epochs = fields.field("curve", ConfigNode::Type::Array).items().size();
  for (std::size_t i = 0; i < epochs; ++i) {
    const FieldReader point = fields.element("curve", i);
    result.curve.push_back({static_cast<int>(point.integer("epoch")), point.number("train_loss"),
                            point.number("dev_score")});
  }
  if (fields.node().contains("zeroed")) {
    const FieldReader zeroed = fields.table("zeroed");
    for (const std::string& type : zeroed.node().keys()) result.zeroed[type] = zeroed.number(type);
  }
  result.pretraining = fields.field("pretraining", ConfigNode::Type::Table);
  result.finetuning = fields.field("finetuning", ConfigNode::Type::Table);
  return result;
}

void write_glue_run_result(const std::filesystem::path& path, const GlueRunResult& result) {
  write_file_atomically(path, to_json(to_config(result)) + "\n");
}

GlueRunResult read_glue_run_result(const std::filesystem::path& path) {
  return glue_run_result_from(read_json_config_file(path), path.string());
}

double metric_percent(const std::string& metric, const std::vector<double>& predictions,
                      const std::vector<double>& gold) {
  if (metric == "accuracy") return 100 * accuracy(predictions, gold);
  if (metric == "f1") return 100 * f1(predictions, gold);
  if (metric == "matthews") return 100 * matthews_correlation(predictions, gold);
  if (metric == "pearson") return 100 * pearson(predictions, gold);
  if (metric == "spearman") return 100 * spearman(predictions, gold);
  throw UserError("unknown GLUE metric '" + metric +
                  "' (known: accuracy, f1, matthews, pearson, spearman)");
}

}  // namespace dac::glue
