// The synthetic grammar as the generator uses it: weighted productions whose symbols carry feature
// arguments (number, tense, ...) and head/dependency marks, over the classes of a Lexicon.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "lexicon.hpp"

namespace dac::synthetic {

// The most arguments a terminal symbol may take.
inline constexpr std::size_t kMaxTerminalArguments = 4;

// A feature argument of a symbol: a variable of the alternative, the other value of a two-valued
// variable, or a constant value.
struct Argument {
  enum class Kind { Variable, Negated, Constant };
  Kind kind = Kind::Variable;
  int index = 0;  // Variable/Negated: the alternative's variable; Constant: a value id
};

struct Symbol {
  bool terminal = false;
  int target = 0;  // a Lexicon class (terminal) or a GrammarSpec rule
  std::vector<Argument> args;
  std::string deprel;  // empty for the head
  // Terminals: the slot for each combination of argument values, in mixed radix over
  // `arg_values` (the values each argument can take).
  std::vector<std::vector<int>> arg_values;
  std::vector<int> slot_table;
};

struct Alternative {
  std::uint32_t weight = 1;
  std::vector<Symbol> symbols;
  int head = 0;                // index into symbols
  std::vector<int> variables;  // domain of each variable: the rule's parameters first
};

struct Rule {
  std::string name;
  std::vector<int> params;  // domain of each parameter
  std::vector<Alternative> alternatives;
  std::uint32_t total_weight = 0;
};

struct GrammarSpec {
  Lexicon lexicon;
  std::vector<std::string> values;        // value names, by id
  std::vector<std::vector<int>> domains;  // value ids of each variable domain
  std::vector<std::string> domain_names;
  std::vector<Rule> rules;
  int start = 0;
  int max_depth = 10;
  bool capitalize = true;
};

// Reads a grammar file and the lexicon it uses (format: the comment blocks at the top of
// configs/grammar/english.toml and lexicon.toml). Checks that every terminal has a word for every
// combination of argument values it can receive; errors are UserErrors naming file and rule.
GrammarSpec load_grammar(const std::filesystem::path& grammar,
                         const std::filesystem::path& lexicon);

// The folder holding the built-in english.toml and lexicon.toml: the source tree's
// configs/grammar when it exists, else share/dacrun/grammar of the installation.
std::filesystem::path default_grammar_dir();

}  // namespace dac::synthetic
