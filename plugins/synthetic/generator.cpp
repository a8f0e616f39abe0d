// Expanding the grammar into words, attaching them into a tree, and writing the sentence text.
#include "generator.hpp"

#include <algorithm>
#include <array>

#include "dac/text/philox.hpp"
#include "ud_checks.hpp"

namespace dac::synthetic {

namespace {

// A variable's value in one expansion, and the id of that choice: words whose arguments share a
// binding agree because of the same choice.
struct Bound {
  int value = 0;
  int binding = -1;
};

using Bindings = std::array<int, kMaxTerminalArguments>;

class Expansion {
 public:
  Expansion(const GrammarSpec& grammar, text::PhiloxStream& random)
      : grammar_(grammar), random_(random) {}

  int expand(const Rule& rule, const std::vector<Bound>& args, int depth) {
    const Alternative& alternative = choose(rule, depth);
    std::vector<Bound> variables(alternative.variables.size());
    std::copy(args.begin(), args.end(), variables.begin());
    for (std::size_t v = args.size(); v < variables.size(); ++v) {
      const std::vector<int>& domain = grammar_.domains[alternative.variables[v]];
      variables[v] = {domain[random_.below(static_cast<std::uint32_t>(domain.size()))],
                      next_binding_++};
    }
    Scope scope{alternative, variables, {}, {}};
    std::vector<int> heads;
    heads.reserve(alternative.symbols.size());
    for (const Symbol& symbol : alternative.symbols) heads.push_back(emit(symbol, scope, depth));
    const int head = heads[alternative.head];
    for (std::size_t i = 0; i < heads.size(); ++i) {
      if (static_cast<int>(i) == alternative.head) continue;
      words_[heads[i]].head = head;
      words_[heads[i]].deprel = alternative.symbols[i].deprel;
    }
    return head;
  }

  std::vector<Word>& words() { return words_; }
  const std::vector<Bindings>& bindings() const { return bindings_; }
  const std::vector<const WordClass*>& classes() const { return classes_; }

 private:
  struct Scope {
    const Alternative& alternative;
    std::vector<Bound>& variables;
    std::vector<int> negated;                    // binding of !v, per variable (lazily)
    std::vector<std::pair<int, int>> constants;  // (value, binding) of constants used
  };

  const Alternative& choose(const Rule& rule, int depth) {
    if (depth >= grammar_.max_depth) return rule.alternatives.front();
    std::uint32_t pick = random_.below(rule.total_weight);
    for (const Alternative& alternative : rule.alternatives) {
      if (pick < alternative.weight) return alternative;
      pick -= alternative.weight;
    }
    return rule.alternatives.back();
  }

  Bound resolve(const Argument& arg, Scope& scope) {
    switch (arg.kind) {
      case Argument::Kind::Variable:
        return scope.variables[arg.index];
      case Argument::Kind::Negated: {
        scope.negated.resize(scope.variables.size(), -1);
        int& binding = scope.negated[arg.index];
        if (binding < 0) binding = next_binding_++;
        const std::vector<int>& domain = grammar_.domains[scope.alternative.variables[arg.index]];
        const int value = scope.variables[arg.index].value;
        return {domain[0] == value ? domain[1] : domain[0], binding};
      }
      case Argument::Kind::Constant:
        for (const auto& [value, binding] : scope.constants)
          if (value == arg.index) return {value, binding};
        scope.constants.emplace_back(arg.index, next_binding_++);
        return {arg.index, scope.constants.back().second};
    }
    return {};
  }

  int emit(const Symbol& symbol, Scope& scope, int depth) {
    std::vector<Bound> args;
    args.reserve(symbol.args.size());
    for (const Argument& arg : symbol.args) args.push_back(resolve(arg, scope));
    if (!symbol.terminal) return expand(grammar_.rules[symbol.target], args, depth + 1);
    return emit_word(symbol, args);
  }

  int emit_word(const Symbol& symbol, const std::vector<Bound>& args) {
    std::size_t code = 0;
    Bindings bindings;
    bindings.fill(-1);
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::vector<int>& values = symbol.arg_values[i];
      code = code * values.size() +
             static_cast<std::size_t>(std::find(values.begin(), values.end(), args[i].value) -
                                      values.begin());
      bindings[i] = args[i].binding;
    }
    const WordClass& word_class = grammar_.lexicon.classes[symbol.target];
    const Slot& slot = word_class.slots[symbol.slot_table[code]];
    const LexicalEntry& entry =
        word_class
            .entries[slot.entries[random_.below(static_cast<std::uint32_t>(slot.entries.size()))]];
    Word& word = words_.emplace_back();
    word.form = entry.forms[slot.column];
    word.lemma = entry.lemma;
    word.upos = word_class.upos;
    word.feats = entry.feats.empty() ? slot.feats : merge_feats(slot.feats, entry.feats);
    if (word.feats.empty()) word.feats = "_";
    word.deprel = "root";
    bindings_.push_back(bindings);
    classes_.push_back(&word_class);
    return static_cast<int>(words_.size() - 1);
  }

  const GrammarSpec& grammar_;
  text::PhiloxStream& random_;
  std::vector<Word> words_;
  std::vector<Bindings> bindings_;
  std::vector<const WordClass*> classes_;
  int next_binding_ = 0;
};

bool starts_with_vowel(const std::string& form) {
  return !form.empty() && std::string_view("aeiouAEIOU").find(form[0]) != std::string_view::npos;
}

// Applies each class's before_vowel replacements (a -> an).
void respell_before_vowels(std::vector<Word>& words, const std::vector<const WordClass*>& classes) {
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    if (!starts_with_vowel(words[i + 1].form)) continue;
    for (const auto& [form, replacement] : classes[i]->before_vowel)
      if (words[i].form == form) words[i].form = replacement;
  }
}

// Writes the text, the offsets and SpaceAfter=No, capitalising the first word when asked.
void write_text(Sentence& sentence, const std::vector<const WordClass*>& classes, bool capitalize) {
  std::vector<Word>& words = sentence.words;
  if (capitalize && !words.empty() && !words[0].form.empty() && words[0].form[0] >= 'a' &&
      words[0].form[0] <= 'z')
    words[0].form[0] = static_cast<char>(words[0].form[0] - 'a' + 'A');
  for (std::size_t i = 0; i < words.size(); ++i) {
    const bool glued = i + 1 < words.size() && !classes[i + 1]->space_before;
    if (i > 0 && classes[i]->space_before) sentence.text += ' ';
    words[i].begin = sentence.text.size();
    sentence.text += words[i].form;
    words[i].end = sentence.text.size();
    words[i].misc = glued ? "SpaceAfter=No" : "_";
    words[i].xpos = "_";
    words[i].deps = "_";
  }
}

bool share_binding(const Bindings& a, const Bindings& b) {
  for (int x : a)
    for (int y : b)
      if (x >= 0 && x == y) return true;
  return false;
}

std::vector<AgreementFact> agreement_facts(const Sentence& sentence,
                                           const std::vector<Bindings>& bindings) {
  std::vector<AgreementFact> facts;
  const int size = static_cast<int>(sentence.words.size());
  for (int s = 0; s < size; ++s) {
    const Word& subject = sentence.words[s];
    if (subject.deprel.rfind("nsubj", 0) != 0) continue;
    for (int v = 0; v < size; ++v) {
      const Word& verb = sentence.words[v];
      const bool in_predicate =
          v == subject.head ||
          (verb.head == subject.head && (verb.deprel == "aux" || verb.deprel == "cop"));
      if (!in_predicate || !share_binding(bindings[s], bindings[v])) continue;
      const std::string_view shown = feature(verb.feats, "Number");
      const std::string_view own = feature(subject.feats, "Number");
      const std::string_view number = own.empty() ? shown : own;
      const int attractors = number.empty() ? 0 : count_attractors(sentence, s, v, number);
      facts.push_back({s, v, attractors, !shown.empty()});
    }
  }
  return facts;
}

}  // namespace

SyntheticGenerator::SyntheticGenerator(GrammarSpec grammar, std::uint64_t seed)
    : grammar_(std::move(grammar)), seed_(seed) {}

GeneratedSentence SyntheticGenerator::sentence(std::uint32_t document, std::uint32_t index) const {
  text::PhiloxStream random(seed_, document, index, 0x5e17u);
  Expansion expansion(grammar_, random);
  expansion.expand(grammar_.rules[grammar_.start], {}, 0);
  GeneratedSentence result;
  result.sentence.words = std::move(expansion.words());
  respell_before_vowels(result.sentence.words, expansion.classes());
  write_text(result.sentence, expansion.classes(), grammar_.capitalize);
  result.agreements = agreement_facts(result.sentence, expansion.bindings());
  return result;
}

std::string SyntheticGenerator::document_text(std::uint32_t document,
                                              std::uint32_t sentences) const {
  std::string text;
  for (std::uint32_t i = 0; i < sentences; ++i) {
    if (i > 0) text += ' ';
    text += sentence(document, i).sentence.text;
  }
  return text;
}

}  // namespace dac::synthetic
