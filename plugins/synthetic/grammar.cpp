// Reading the grammar file: variables, rules and their alternatives, checked against the lexicon.
#include "grammar.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <map>

#include "spec_reading.hpp"

namespace dac::synthetic {

namespace {

struct SymbolText {
  std::string name;
  std::vector<std::string> args;
  bool head = false;
  std::string deprel;
};

// "NAME<a,b>^" or "NAME<a,b>:deprel" (the <...> part optional).
SymbolText parse_symbol(std::string_view token, const ConfigNode& where) {
  SymbolText symbol;
  const std::size_t name_end = token.find_first_of("<:^");
  symbol.name = std::string(token.substr(0, name_end));
  std::string_view rest = name_end == std::string_view::npos ? "" : token.substr(name_end);
  if (!rest.empty() && rest[0] == '<') {
    const std::size_t close = rest.find('>');
    if (close == std::string_view::npos)
      spec_error(where, "unclosed '<' in '" + std::string(token) + "'");
    std::string_view args = rest.substr(1, close - 1);
    while (!args.empty()) {
      const std::size_t comma = args.find(',');
      symbol.args.emplace_back(args.substr(0, comma));
      args = comma == std::string_view::npos ? "" : args.substr(comma + 1);
    }
    rest = rest.substr(close + 1);
  }
  if (rest == "^") {
    symbol.head = true;
  } else if (rest.size() > 1 && rest[0] == ':') {
    symbol.deprel = std::string(rest.substr(1));
  } else {
    spec_error(where, "'" + std::string(token) +
                          "' must end in ^ (the head) or :deprel (a dependent of the head)");
  }
  if (symbol.name.empty())
    spec_error(where, "symbol without a name in '" + std::string(token) + "'");
  return symbol;
}

class GrammarReader {
 public:
  explicit GrammarReader(GrammarSpec& spec) : spec_(spec) {}

  void read(const ConfigNode& root) {
    if (const ConfigNode* depth = root.find("max_depth")) spec_.max_depth = depth->as_int();
    if (const ConfigNode* capitalize = root.find("capitalize"))
      spec_.capitalize = capitalize->as_bool();
    read_variables(require(root, "variables", ConfigNode::Type::Table));
    const ConfigNode& rules = require(root, "rules", ConfigNode::Type::Table);
    for (const auto& [key, node] : rules.entries()) declare_rule(key, node);
    for (std::size_t r = 0; r < spec_.rules.size(); ++r)
      read_alternatives(spec_.rules[r], rules.entries()[r].second);
    const std::string& start = require(root, "start", ConfigNode::Type::String).as_string();
    spec_.start = find_rule(start);
    if (spec_.start < 0) spec_error(*root.find("start"), "no rule called '" + start + "'");
    if (!spec_.rules[spec_.start].params.empty())
      spec_error(*root.find("start"), "the start rule takes no parameters");
  }

 private:
  int intern(const std::string& value) {
    for (std::size_t i = 0; i < spec_.values.size(); ++i)
      if (spec_.values[i] == value) return static_cast<int>(i);
    spec_.values.push_back(value);
    return static_cast<int>(spec_.values.size() - 1);
  }

  int find_domain(const std::string& name) const {
    for (std::size_t i = 0; i < spec_.domain_names.size(); ++i)
      if (spec_.domain_names[i] == name) return static_cast<int>(i);
    return -1;
  }

  int find_rule(const std::string& name) const {
    for (std::size_t i = 0; i < spec_.rules.size(); ++i)
      if (spec_.rules[i].name == name) return static_cast<int>(i);
    return -1;
  }

  void read_variables(const ConfigNode& table) {
    for (const auto& [name, node] : table.entries()) {
      if (!node.is_array() || node.items().empty())
        spec_error(node, "variable '" + name + "' needs a non-empty list of values");
      std::vector<int> domain;
      for (const ConfigNode& value : node.items()) domain.push_back(intern(value.as_string()));
      spec_.domain_names.push_back(name);
      spec_.domains.push_back(std::move(domain));
    }
  }

  void declare_rule(const std::string& key, const ConfigNode& node) {
    const SymbolText lhs = parse_symbol(key + "^", node);
    Rule rule;
    rule.name = lhs.name;
    if (find_rule(rule.name) >= 0) spec_error(node, "rule '" + rule.name + "' defined twice");
    for (const std::string& param : lhs.args) {
      const int domain = find_domain(param);
      if (domain < 0) spec_error(node, "parameter '" + param + "' is not in [variables]");
      rule.params.push_back(domain);
    }
    spec_.rules.push_back(std::move(rule));
  }

  void read_alternatives(Rule& rule, const ConfigNode& node) {
    if (!node.is_array() || node.items().empty())
      spec_error(node, "rule '" + rule.name + "' needs a list of [weight, \"symbols\"]");
    for (const ConfigNode& item : node.items()) {
      if (!item.is_array() || item.items().size() != 2 ||
          item.items()[0].type() != ConfigNode::Type::Int)
        spec_error(item, "an alternative is [weight, \"symbols\"] with an integer weight");
      const std::int64_t weight = item.items()[0].as_int();
      if (weight < 1 || weight > 1000000) spec_error(item, "weights run from 1 to 1000000");
      Alternative alternative = read_alternative(rule, item.items()[1]);
      alternative.weight = static_cast<std::uint32_t>(weight);
      rule.total_weight += alternative.weight;
      rule.alternatives.push_back(std::move(alternative));
    }
  }

  Alternative read_alternative(const Rule& rule, const ConfigNode& text) {
    Alternative alternative;
    alternative.variables = rule.params;
    // Parameter names come from the rule's key, in order.
    std::vector<std::string> names;
    for (int domain : rule.params) names.push_back(spec_.domain_names[domain]);
    int heads = 0;
    for (std::string_view token : split_words(text.as_string())) {
      const SymbolText parsed = parse_symbol(token, text);
      Symbol symbol;
      symbol.deprel = parsed.deprel;
      for (const std::string& arg : parsed.args)
        symbol.args.push_back(read_argument(arg, names, alternative.variables, text));
      resolve_target(symbol, parsed, alternative.variables, text);
      if (parsed.head) {
        alternative.head = static_cast<int>(alternative.symbols.size());
        ++heads;
      }
      alternative.symbols.push_back(std::move(symbol));
    }
    if (heads != 1)
      spec_error(text, "an alternative needs exactly one head (^), not " + std::to_string(heads));
    return alternative;
  }

  Argument read_argument(const std::string& text, std::vector<std::string>& names,
                         std::vector<int>& variables, const ConfigNode& where) {
    const bool negated = !text.empty() && text[0] == '!';
    const std::string name = negated ? text.substr(1) : text;
    auto known = std::find(names.begin(), names.end(), name);
    if (known == names.end() && find_domain(name) >= 0) {
      names.push_back(name);
      variables.push_back(find_domain(name));
      known = names.end() - 1;
    }
    if (known == names.end()) {
      if (negated) spec_error(where, "'" + text + "': '" + name + "' is not a variable");
      return {Argument::Kind::Constant, intern(name)};
    }
    const int index = static_cast<int>(known - names.begin());
    if (negated && spec_.domains[variables[index]].size() != 2)
      spec_error(where, "'" + text + "': only a variable with two values can be negated");
    return {negated ? Argument::Kind::Negated : Argument::Kind::Variable, index};
  }

  std::vector<int> values_of(const Argument& arg, const std::vector<int>& variables) const {
    if (arg.kind == Argument::Kind::Constant) return {arg.index};
    return spec_.domains[variables[arg.index]];
  }

  void resolve_target(Symbol& symbol, const SymbolText& parsed, const std::vector<int>& variables,
                      const ConfigNode& where) {
    for (const Argument& arg : symbol.args) symbol.arg_values.push_back(values_of(arg, variables));
    const int rule = find_rule(parsed.name);
    if (rule >= 0) {
      symbol.target = rule;
      check_rule_arguments(symbol, spec_.rules[rule], where);
      return;
    }
    symbol.target = spec_.lexicon.find(parsed.name);
    if (symbol.target < 0)
      spec_error(where, "'" + parsed.name + "' is neither a rule nor a lexicon class");
    symbol.terminal = true;
    build_slot_table(symbol, where);
  }

  void check_rule_arguments(const Symbol& symbol, const Rule& rule, const ConfigNode& where) {
    if (symbol.args.size() != rule.params.size())
      spec_error(where, "rule '" + rule.name + "' takes " + std::to_string(rule.params.size()) +
                            " arguments, not " + std::to_string(symbol.args.size()));
    for (std::size_t i = 0; i < symbol.args.size(); ++i)
      for (int value : symbol.arg_values[i]) {
        const std::vector<int>& domain = spec_.domains[rule.params[i]];
        if (std::find(domain.begin(), domain.end(), value) == domain.end())
          spec_error(where, "rule '" + rule.name + "' argument " + std::to_string(i + 1) +
                                " cannot be '" + spec_.values[value] + "'");
      }
  }

  void build_slot_table(Symbol& symbol, const ConfigNode& where) {
    const WordClass& word_class = spec_.lexicon.classes[symbol.target];
    if (symbol.args.size() > kMaxTerminalArguments)
      spec_error(where, "lexicon class '" + word_class.name + "' given more than " +
                            std::to_string(kMaxTerminalArguments) + " arguments");
    std::size_t combinations = 1;
    for (const std::vector<int>& values : symbol.arg_values) combinations *= values.size();
    for (std::size_t code = 0; code < combinations; ++code) {
      std::vector<std::string_view> names(symbol.args.size());
      std::size_t rest = code;
      for (std::size_t i = symbol.args.size(); i-- > 0;) {
        names[i] = spec_.values[symbol.arg_values[i][rest % symbol.arg_values[i].size()]];
        rest /= symbol.arg_values[i].size();
      }
      const int slot = word_class.find_slot(names);
      if (slot < 0 || word_class.slots[slot].entries.empty()) {
        std::string combination;
        for (std::string_view name : names)
          combination += (combination.empty() ? "" : ",") + std::string(name);
        spec_error(where,
                   "lexicon class '" + word_class.name + "' has no word for <" + combination + ">");
      }
      symbol.slot_table.push_back(slot);
    }
  }

  GrammarSpec& spec_;
};

}  // namespace

GrammarSpec load_grammar(const std::filesystem::path& grammar,
                         const std::filesystem::path& lexicon) {
  GrammarSpec spec;
  spec.lexicon = load_lexicon(lexicon);
  GrammarReader(spec).read(parse_toml_file(grammar));
  return spec;
}

std::filesystem::path default_grammar_dir() {
  const std::filesystem::path source = DAC_SYNTHETIC_SOURCE_GRAMMAR_DIR;
  if (std::filesystem::exists(source / "english.toml")) return source;
  Dl_info info{};
  if (dladdr(reinterpret_cast<const void*>(&default_grammar_dir), &info) != 0 &&
      info.dli_fname != nullptr)
    return std::filesystem::path(info.dli_fname).parent_path() /
           DAC_SYNTHETIC_INSTALLED_GRAMMAR_DIR;
  return source;
}

}  // namespace dac::synthetic
