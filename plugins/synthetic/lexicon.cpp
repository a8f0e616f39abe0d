// Reading the lexicon file and the regular inflection rules it refers to.
#include "lexicon.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "spec_reading.hpp"

namespace dac::synthetic {

namespace {

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool consonant_y(std::string_view base) {
  return base.size() >= 2 && base.back() == 'y' && !is_vowel(base[base.size() - 2]);
}

std::string plural(std::string_view base) {
  const std::string stem(base);
  if (consonant_y(base)) return stem.substr(0, stem.size() - 1) + "ies";
  for (std::string_view suffix : {"s", "x", "z", "ch", "sh"})
    if (ends_with(base, suffix)) return stem + "es";
  return stem + "s";
}

std::string past(std::string_view base) {
  const std::string stem(base);
  if (consonant_y(base)) return stem.substr(0, stem.size() - 1) + "ied";
  if (ends_with(base, "e")) return stem + "d";
  return stem + "ed";
}

struct Column {
  std::string name;
  std::string rule;  // "" = no derivation
};

struct RawClass {
  const ConfigNode* node = nullptr;
  WordClass word_class;
  std::vector<Column> columns;
};

std::vector<Column> read_columns(const ConfigNode& node) {
  std::vector<Column> columns;
  for (const ConfigNode& item : node.items()) {
    const std::string& text = item.as_string();
    const std::size_t colon = text.find(':');
    Column column{text.substr(0, colon), colon == std::string::npos ? "" : text.substr(colon + 1)};
    if (!column.rule.empty() && inflect("test", column.rule).empty())
      spec_error(item, "unknown inflection rule '" + column.rule + "' (plural, past, same)");
    columns.push_back(std::move(column));
  }
  return columns;
}

int column_index(const std::vector<Column>& columns, const ConfigNode& name) {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == name.as_string()) return static_cast<int>(i);
  spec_error(name, "no column called '" + name.as_string() + "'");
}

std::vector<Slot> read_slots(const ConfigNode& node, const std::vector<Column>& columns) {
  std::vector<Slot> slots;
  for (const ConfigNode& item : node.items()) {
    if (!item.is_array() || item.items().size() != 3)
      spec_error(item, "a slot is [pattern, column, feats]");
    Slot slot;
    for (std::string_view value : split_words(item.items()[0].as_string()))
      slot.pattern.emplace_back(value);
    slot.column = column_index(columns, item.items()[1]);
    slot.feats = merge_feats(item.items()[2].as_string(), "");
    slots.push_back(std::move(slot));
  }
  return slots;
}

LexicalEntry read_entry(std::string_view line, const std::vector<Column>& columns,
                        const std::string& where) {
  LexicalEntry entry;
  std::vector<std::string> given;
  for (std::string_view token : split_words(line)) {
    if (token.substr(0, 6) == "lemma:") {
      entry.lemma = std::string(token.substr(6));
    } else if (token.find('=') != std::string_view::npos) {
      entry.feats = merge_feats(entry.feats, token);
    } else {
      given.emplace_back(token);
    }
  }
  if (given.empty() || given.size() > columns.size())
    throw UserError(where + ": expected 1 to " + std::to_string(columns.size()) + " forms");
  for (std::size_t c = 0; c < columns.size(); ++c) {
    std::string form = c < given.size() ? given[c] : "_";
    if (form == "-") form.clear();
    if (form == "_") {
      if (c == 0 || columns[c].rule.empty()) {
        if (c < given.size())
          throw UserError(where + ": column '" + columns[c].name +
                          "' has no inflection rule to fill '_'");
        form.clear();
      } else {
        form = inflect(given[0], columns[c].rule);
      }
    }
    entry.forms.push_back(std::move(form));
  }
  if (entry.lemma.empty())
    for (const std::string& form : given)
      if (form != "-" && form != "_") {
        entry.lemma = form;
        break;
      }
  return entry;
}

std::vector<LexicalEntry> read_entries(const ConfigNode& words, const std::vector<Column>& columns,
                                       const std::string& where) {
  std::vector<LexicalEntry> entries;
  const std::string& text = words.as_string();
  std::size_t start = 0;
  for (int line_number = 1; start <= text.size(); ++line_number) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    line = line.substr(0, line.find('#'));
    if (!split_words(line).empty())
      entries.push_back(read_entry(
          line, columns, where + ", line " + std::to_string(words.origin().line + line_number)));
    start = end + 1;
  }
  return entries;
}

void index_slots(WordClass& word_class) {
  for (Slot& slot : word_class.slots)
    for (std::size_t e = 0; e < word_class.entries.size(); ++e)
      if (!word_class.entries[e].forms[slot.column].empty())
        slot.entries.push_back(static_cast<int>(e));
}

}  // namespace

std::string inflect(std::string_view base, std::string_view rule) {
  if (rule == "plural") return plural(base);
  if (rule == "past") return past(base);
  if (rule == "same") return std::string(base);
  return "";
}

std::string merge_feats(std::string_view a, std::string_view b) {
  std::map<std::string, std::string> features;
  for (std::string_view feats : {a, b}) {
    if (feats == "_") continue;
    std::size_t start = 0;
    while (start < feats.size()) {
      std::size_t end = feats.find('|', start);
      if (end == std::string_view::npos) end = feats.size();
      const std::string_view feature = feats.substr(start, end - start);
      const std::size_t eq = feature.find('=');
      if (eq != std::string_view::npos)
        features[std::string(feature.substr(0, eq))] = std::string(feature.substr(eq + 1));
      start = end + 1;
    }
  }
  std::string merged;
  for (const auto& [name, value] : features) {
    if (!merged.empty()) merged += '|';
    merged += name + "=" + value;
  }
  return merged;
}

int WordClass::find_slot(const std::vector<std::string_view>& values) const {
  for (std::size_t s = 0; s < slots.size(); ++s) {
    const std::vector<std::string>& pattern = slots[s].pattern;
    if (pattern.size() != values.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < values.size() && match; ++i)
      match = pattern[i] == "*" || pattern[i] == values[i];
    if (match) return static_cast<int>(s);
  }
  return -1;
}

int Lexicon::find(std::string_view name) const {
  for (std::size_t i = 0; i < classes.size(); ++i)
    if (classes[i].name == name) return static_cast<int>(i);
  return -1;
}

std::size_t Lexicon::form_count() const {
  std::set<std::string> forms;
  for (const WordClass& word_class : classes)
    for (const LexicalEntry& entry : word_class.entries)
      for (const std::string& form : entry.forms)
        if (!form.empty()) forms.insert(form);
  return forms.size();
}

Lexicon load_lexicon(const std::filesystem::path& path) {
  const ConfigNode root = parse_toml_file(path);
  const ConfigNode& classes = require(root, "classes", ConfigNode::Type::Table);
  std::vector<RawClass> raw;
  for (const auto& [name, node] : classes.entries()) {
    if (!node.is_table()) spec_error(node, "classes." + name + " must be a table");
    RawClass& entry = raw.emplace_back();
    entry.node = &node;
    entry.word_class.name = name;
  }
  // A class with `paradigm` shares another's upos, columns and slots.
  for (RawClass& entry : raw) {
    const ConfigNode* paradigm = entry.node->find("paradigm");
    const ConfigNode& source = paradigm == nullptr ? *entry.node : [&]() -> const ConfigNode& {
      for (const RawClass& other : raw)
        if (other.word_class.name == paradigm->as_string()) return *other.node;
      spec_error(*paradigm, "no class called '" + paradigm->as_string() + "'");
    }();
    entry.word_class.upos = require(source, "upos", ConfigNode::Type::String).as_string();
    entry.columns = read_columns(require(source, "columns", ConfigNode::Type::Array));
    entry.word_class.slots =
        read_slots(require(source, "slots", ConfigNode::Type::Array), entry.columns);
    if (const ConfigNode* space = source.find("space_before"))
      entry.word_class.space_before = space->as_bool();
    if (const ConfigNode* before_vowel = entry.node->find("before_vowel"))
      for (const auto& [form, replacement] : before_vowel->entries())
        entry.word_class.before_vowel.emplace_back(form, replacement.as_string());
    const std::string where = path.string() + ": classes." + entry.word_class.name;
    // Word lines are counted from the line after the opening quotes of `words`.
    entry.word_class.entries =
        read_entries(require(*entry.node, "words", ConfigNode::Type::String), entry.columns, where);
    index_slots(entry.word_class);
  }
  Lexicon lexicon;
  for (RawClass& entry : raw) lexicon.classes.push_back(std::move(entry.word_class));
  return lexicon;
}

}  // namespace dac::synthetic
