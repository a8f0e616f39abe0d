// Acceptability, minimal-pair and sentence-pair tasks: agreement edits on gold trees, with every
// form taken from the lexicon and every choice drawn from Philox streams.
#include "tasks.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>

#include "dac/config.hpp"
#include "dac/error.hpp"
#include "dac/text/philox.hpp"
#include "ud_checks.hpp"

namespace dac::synthetic {

namespace {

std::string lower_first(std::string form) {
  if (!form.empty()) form[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(form[0])));
  return form;
}

std::string upper_first(std::string form) {
  if (!form.empty()) form[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(form[0])));
  return form;
}

std::string merged(const Slot& slot, const LexicalEntry& entry) {
  std::string feats = entry.feats.empty() ? slot.feats : merge_feats(slot.feats, entry.feats);
  return feats.empty() ? "_" : feats;
}

// The form a class writes for `form` before a vowel (a -> an), or the form itself.
bool same_written_form(const WordClass& word_class, const std::string& written,
                       const std::string& form) {
  if (written == form) return true;
  for (const auto& [plain, replacement] : word_class.before_vowel)
    if (form == plain && written == replacement) return true;
  return false;
}

bool starts_with_vowel(const std::string& form) {
  return !form.empty() && std::string_view("aeiouAEIOU").find(form[0]) != std::string_view::npos;
}

// Re-applies the before_vowel spelling of word i (a/an) given the word after it.
void respell(Sentence& sentence, int i, const Lexicon& lexicon) {
  const int size = static_cast<int>(sentence.words.size());
  if (i < 0 || i + 1 >= size) return;
  Word& word = sentence.words[i];
  const bool capital =
      i == 0 && !word.form.empty() && std::isupper(static_cast<unsigned char>(word.form[0]));
  const std::string plain_form = lower_first(word.form);
  for (const WordClass& word_class : lexicon.classes) {
    if (word_class.upos != word.upos) continue;
    for (const auto& [plain, replacement] : word_class.before_vowel) {
      if (plain_form != plain && plain_form != replacement) continue;
      const std::string form = starts_with_vowel(sentence.words[i + 1].form) ? replacement : plain;
      word.form = capital ? upper_first(form) : form;
      return;
    }
  }
}

// Rewrites the text and offsets from the forms and SpaceAfter=No.
void render(Sentence& sentence) {
  sentence.text.clear();
  for (std::size_t i = 0; i < sentence.words.size(); ++i) {
    Word& word = sentence.words[i];
    if (i > 0 && sentence.words[i - 1].misc != "SpaceAfter=No") sentence.text += ' ';
    word.begin = sentence.text.size();
    sentence.text += word.form;
    word.end = sentence.text.size();
  }
}

std::string other_number(std::string_view number) {
  return number == "Sing" ? "Plur" : "Sing";
}

// Flips one word's Number in place (form and FEATS); false when the lexicon has no such form.
bool flip_number(Sentence& sentence, int index, const Lexicon& lexicon) {
  Word& word = sentence.words[index];
  const std::string number(feature(word.feats, "Number"));
  if (number.empty()) return false;
  const std::string from = "Number=" + number, to = "Number=" + other_number(number);
  std::string target = word.feats;
  target.replace(target.find(from), from.size(), to);
  const bool capital = index == 0;
  const std::string written = capital ? lower_first(word.form) : word.form;
  for (const WordClass& word_class : lexicon.classes) {
    if (word_class.upos != word.upos) continue;
    for (const LexicalEntry& entry : word_class.entries) {
      if (entry.lemma != word.lemma) continue;
      bool matches_original = false;
      const std::string* replacement = nullptr;
      for (const Slot& slot : word_class.slots) {
        const std::string& form = entry.forms[slot.column];
        if (form.empty()) continue;
        const std::string feats = merged(slot, entry);
        if (feats == word.feats && same_written_form(word_class, written, form))
          matches_original = true;
        if (feats == target && replacement == nullptr) replacement = &form;
      }
      if (!matches_original || replacement == nullptr) continue;
      if (lower_first(*replacement) == written) return false;
      word.form = capital ? upper_first(*replacement) : *replacement;
      word.feats = target;
      return true;
    }
  }
  return false;
}

void finish_edit(Sentence& sentence, const std::vector<int>& edited, const Lexicon& lexicon) {
  for (int i : edited) {
    respell(sentence, i - 1, lexicon);
    respell(sentence, i, lexicon);
  }
  render(sentence);
}

bool is_subject(const Word& word) {
  return word.deprel.substr(0, word.deprel.find(':')) == "nsubj";
}

// The words of word `root`'s subtree as a span [first, last]; {-1, -1} when they are not
// contiguous.
std::pair<int, int> subtree_span(const Sentence& sentence, int root) {
  const int size = static_cast<int>(sentence.words.size());
  int first = size, last = -1, count = 0;
  for (int i = 0; i < size; ++i) {
    int w = i;
    for (int steps = 0; w >= 0 && w != root && steps <= size; ++steps) w = sentence.words[w].head;
    if (w != root) continue;
    first = std::min(first, i);
    last = std::max(last, i);
    ++count;
  }
  if (count == 0 || last - first + 1 != count) return {-1, -1};
  return {first, last};
}

// The sentence with the disjoint spans a and b (a before b) exchanged: heads follow their words,
// a space before a word stays with it, the sentence-initial capital moves to the new first word,
// a/an is respelled, and the text and offsets are rewritten.
Sentence with_spans_swapped(const Sentence& sentence, std::pair<int, int> a, std::pair<int, int> b,
                            const Lexicon& lexicon) {
  const int size = static_cast<int>(sentence.words.size());
  std::vector<int> order;  // new position -> old position
  order.reserve(size);
  for (int i = 0; i < a.first; ++i) order.push_back(i);
  for (int i = b.first; i <= b.second; ++i) order.push_back(i);
  for (int i = a.second + 1; i < b.first; ++i) order.push_back(i);
  for (int i = a.first; i <= a.second; ++i) order.push_back(i);
  for (int i = b.second + 1; i < size; ++i) order.push_back(i);
  std::vector<int> position(size);
  for (int i = 0; i < size; ++i) position[order[i]] = i;
  const auto space_before = [&](int old) {
    return old == 0 || sentence.words[old - 1].misc != "SpaceAfter=No";
  };
  Sentence result = sentence;
  for (int i = 0; i < size; ++i) {
    Word word = sentence.words[order[i]];
    if (word.head >= 0) word.head = position[word.head];
    const bool glued = i + 1 < size && !space_before(order[i + 1]);
    word.misc = glued ? "SpaceAfter=No" : (word.misc == "SpaceAfter=No" ? "_" : word.misc);
    result.words[i] = std::move(word);
  }
  if (order[0] != 0 && size > 0) {
    Word& moved = result.words[position[0]];
    if (moved.upos != "PROPN") moved.form = lower_first(moved.form);
    result.words[0].form = upper_first(result.words[0].form);
  }
  for (int i = 0; i < size; ++i) respell(result, i, lexicon);
  render(result);
  return result;
}

std::vector<std::string> lowered_forms(const Sentence& sentence) {
  std::vector<std::string> forms;
  for (const Word& word : sentence.words) forms.push_back(lower_first(word.form));
  std::sort(forms.begin(), forms.end());
  return forms;
}

std::string json_line(const MinimalPair& pair, std::size_t index) {
  const Word& good_word = pair.good.words[pair.edited];
  const Word& bad_word = pair.bad.words[pair.edited];
  std::string prefix = pair.good.text.substr(0, good_word.begin);
  while (!prefix.empty() && prefix.back() == ' ') prefix.pop_back();
  const std::string term = pair.agreement_type + "_agreement";
  std::string line = "{";
  line += "\"sentence_good\": " + json_quote(pair.good.text);
  line += ", \"sentence_bad\": " + json_quote(pair.bad.text);
  line += ", \"one_prefix_prefix\": " + json_quote(prefix);
  line += ", \"one_prefix_word_good\": " + json_quote(good_word.form);
  line += ", \"one_prefix_word_bad\": " + json_quote(bad_word.form);
  line += ", \"field\": \"morphology\"";
  line += ", \"linguistics_term\": " + json_quote(term);
  line += ", \"UID\": " + json_quote("synthetic_" + term);
  line += ", \"simple_LM_method\": true, \"one_prefix_method\": true";
  line += ", \"two_prefix_method\": false, \"lexically_identical\": false";
  line += ", \"pairID\": " + json_quote(std::to_string(index));
  line += ", \"agreement_type\": " + json_quote(pair.agreement_type);
  line += ", \"attractor_distance\": " + std::to_string(pair.attractor_distance);
  return line + "}\n";
}

template <typename T>
void shuffle_and_split(std::vector<T>& examples, std::uint64_t split_seed, std::uint32_t task,
                       double dev_fraction) {
  text::PhiloxStream random(split_seed, 0x5b17u, task, 0);
  for (std::size_t i = examples.size(); i > 1; --i)
    std::swap(examples[i - 1], examples[random.below(static_cast<std::uint32_t>(i))]);
  const auto dev =
      static_cast<std::size_t>(static_cast<double>(examples.size()) * dev_fraction + 0.5);
  for (std::size_t i = 0; i < examples.size(); ++i) examples[i].dev = i < dev;
}

std::ofstream open(const std::filesystem::path& path) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  if (!out) throw UserError("cannot write " + path.string());
  return out;
}

}  // namespace

std::optional<Sentence> with_other_number(const Sentence& sentence, int word,
                                          const Lexicon& lexicon) {
  Sentence result = sentence;
  if (!flip_number(result, word, lexicon)) return std::nullopt;
  finish_edit(result, {word}, lexicon);
  return result;
}

std::vector<AgreementSite> breakable_agreements(const Sentence& sentence, const Lexicon& lexicon) {
  std::vector<AgreementSite> sites;
  for (const SubjectVerbPair& pair : subject_verb_pairs(sentence)) {
    if (pair.carrier_number != pair.subject_number) continue;
    if (with_other_number(sentence, pair.carrier, lexicon))
      sites.push_back({"subject_verb", pair.carrier, pair.subject, pair.attractors});
  }
  for (int d = 0; d < static_cast<int>(sentence.words.size()); ++d) {
    const Word& det = sentence.words[d];
    if (det.deprel != "det" || det.upos != "DET" || det.head < 0) continue;
    const std::string_view number = feature(det.feats, "Number");
    if (number.empty() || number != feature(sentence.words[det.head].feats, "Number")) continue;
    if (with_other_number(sentence, d, lexicon))
      sites.push_back(
          {"determiner_noun", d, det.head, count_attractors(sentence, d, det.head, number)});
  }
  return sites;
}

std::optional<Sentence> with_subject_number_changed(const Sentence& sentence,
                                                    const Lexicon& lexicon) {
  const int size = static_cast<int>(sentence.words.size());
  int subject = -1;
  for (int i = 0; i < size && subject < 0; ++i) {
    const Word& word = sentence.words[i];
    if (is_subject(word) && word.head >= 0 && sentence.words[word.head].head == -1) subject = i;
  }
  if (subject < 0 || feature(sentence.words[subject].feats, "Number").empty()) return std::nullopt;
  const int predicate = sentence.words[subject].head;
  std::vector<int> edits = {subject};
  // The subject's relative clauses: their relative-pronoun subjects take its number.
  std::vector<int> controllers = {subject};
  for (int r = 0; r < size; ++r) {
    const Word& clause = sentence.words[r];
    if (clause.deprel != "acl:relcl" || clause.head != subject) continue;
    for (int p = 0; p < size; ++p)
      if (sentence.words[p].head == r && is_subject(sentence.words[p]) &&
          feature(sentence.words[p].feats, "Number").empty())
        controllers.push_back(p);
  }
  for (const SubjectVerbPair& pair : subject_verb_pairs(sentence))
    if (std::find(controllers.begin(), controllers.end(), pair.subject) != controllers.end())
      edits.push_back(pair.carrier);
  for (int i = 0; i < size; ++i) {
    const Word& word = sentence.words[i];
    if (feature(word.feats, "Number").empty()) continue;
    const bool determiner = word.deprel == "det" && word.head == subject;
    // Coordinated verbs share the subject: "The dog runs and jumps".
    const bool coordinated = word.deprel == "conj" && word.head == predicate &&
                             (word.upos == "VERB" || word.upos == "AUX");
    if (determiner || coordinated) edits.push_back(i);
  }
  std::sort(edits.begin(), edits.end());
  edits.erase(std::unique(edits.begin(), edits.end()), edits.end());
  Sentence result = sentence;
  for (int i : edits)
    if (!flip_number(result, i, lexicon)) return std::nullopt;
  finish_edit(result, edits, lexicon);
  if (!agreement_holds(result) || !tree_problems(result).empty()) return std::nullopt;
  return result;
}

std::optional<Sentence> with_arguments_swapped(const Sentence& sentence, const Lexicon& lexicon) {
  const int size = static_cast<int>(sentence.words.size());
  int root = -1, subject = -1, object = -1;
  for (int i = 0; i < size; ++i)
    if (sentence.words[i].head == -1) root = i;
  if (root < 0 || sentence.words[root].upos != "VERB") return std::nullopt;
  for (int i = 0; i < size; ++i) {
    const Word& word = sentence.words[i];
    if (word.head != root || (word.deprel != "nsubj" && word.deprel != "obj")) continue;
    int& argument = word.deprel == "nsubj" ? subject : object;
    if (argument >= 0) return std::nullopt;
    argument = i;
  }
  if (subject < 0 || object < 0) return std::nullopt;
  const auto noun_phrase = [](const Word& word) {
    return word.upos == "NOUN" || word.upos == "PROPN";
  };
  const Word& s = sentence.words[subject];
  const Word& o = sentence.words[object];
  const std::string_view number = feature(s.feats, "Number");
  if (!noun_phrase(s) || !noun_phrase(o) || number.empty() || number != feature(o.feats, "Number"))
    return std::nullopt;
  std::pair<int, int> a = subtree_span(sentence, subject), b = subtree_span(sentence, object);
  if (a.first < 0 || b.first < 0) return std::nullopt;
  if (a.first > b.first) std::swap(a, b);
  if (a.second >= b.first) return std::nullopt;
  Sentence result = with_spans_swapped(sentence, a, b, lexicon);
  // The heads keep their words; the phrase now in the subject's place takes nsubj.
  int new_root = -1;
  for (int i = 0; i < size; ++i)
    if (result.words[i].head == -1) new_root = i;
  for (Word& word : result.words) {
    if (word.head != new_root) continue;
    if (word.deprel == "nsubj")
      word.deprel = "obj";
    else if (word.deprel == "obj")
      word.deprel = "nsubj";
  }
  if (result.text == sentence.text || !agreement_holds(result) || !tree_problems(result).empty())
    return std::nullopt;
  return result;
}

std::optional<Sentence> with_adjectives_reordered(const Sentence& sentence,
                                                  const Lexicon& lexicon) {
  const int size = static_cast<int>(sentence.words.size());
  for (int noun = 0; noun < size; ++noun) {
    std::vector<int> modifiers;
    for (int i = 0; i < size; ++i)
      if (sentence.words[i].head == noun && sentence.words[i].deprel == "amod" &&
          sentence.words[i].upos == "ADJ")
        modifiers.push_back(i);
    if (modifiers.size() != 2) continue;
    const std::pair<int, int> a = subtree_span(sentence, modifiers[0]);
    const std::pair<int, int> b = subtree_span(sentence, modifiers[1]);
    if (a.first < 0 || b.first < 0 || a.second + 1 != b.first || b.second >= noun) continue;
    Sentence result = with_spans_swapped(sentence, a, b, lexicon);
    if (result.text == sentence.text || lowered_forms(result) != lowered_forms(sentence) ||
        !agreement_holds(result) || !tree_problems(result).empty())
      continue;
    return result;
  }
  return std::nullopt;
}

bool agreement_holds(const Sentence& sentence) {
  for (const SubjectVerbPair& pair : subject_verb_pairs(sentence))
    if (pair.carrier_number != pair.subject_number) return false;
  for (const Word& word : sentence.words) {
    if (word.deprel != "det" || word.head < 0) continue;
    const std::string_view number = feature(word.feats, "Number");
    const std::string_view noun = feature(sentence.words[word.head].feats, "Number");
    if (!number.empty() && !noun.empty() && number != noun) return false;
  }
  return true;
}

TaskSet make_tasks(const SyntheticGenerator& generator, const TaskOptions& options) {
  TaskSet tasks;
  const Lexicon& lexicon = generator.grammar().lexicon;
  const std::uint64_t wanted = options.examples;
  const std::uint64_t limit = std::max<std::uint64_t>(wanted, 1) * 1000;
  for (std::uint64_t k = 0; k < limit; ++k) {
    if (tasks.acceptability.size() >= wanted && tasks.minimal_pairs.size() >= wanted &&
        tasks.pairs.size() >= wanted)
      break;
    const auto document = static_cast<std::uint32_t>(k / options.sentences_per_document);
    const auto index = static_cast<std::uint32_t>(k % options.sentences_per_document);
    const Sentence sentence = generator.sentence(document, index).sentence;
    text::PhiloxStream random(generator.seed(), 0x7a5c0000u, document, index);
    const std::vector<AgreementSite> sites = breakable_agreements(sentence, lexicon);
    const bool overt_subject_verb =
        std::any_of(sites.begin(), sites.end(),
                    [](const AgreementSite& site) { return site.type == "subject_verb"; });
    if (!sites.empty() && overt_subject_verb && tasks.acceptability.size() < wanted) {
      AcceptabilityExample example;
      example.source = sentence;
      example.label = tasks.acceptability.size() % 2 == 0 ? 1 : 0;
      if (example.label == 1) {
        example.sentence = sentence;
      } else {
        const AgreementSite& site = sites[random.below(static_cast<std::uint32_t>(sites.size()))];
        example.sentence = *with_other_number(sentence, site.target, lexicon);
        example.agreement_type = site.type;
        example.edited = site.target;
      }
      tasks.acceptability.push_back(std::move(example));
    }
    if (!sites.empty() && tasks.minimal_pairs.size() < wanted) {
      const AgreementSite& site = sites[random.below(static_cast<std::uint32_t>(sites.size()))];
      tasks.minimal_pairs.push_back({sentence, *with_other_number(sentence, site.target, lexicon),
                                     site.type, site.attractors, site.target});
    }
    if (tasks.pairs.size() < wanted) {
      // Both labels come from sentences whose subject number can change, so the sentences of
      // the two classes are drawn alike.
      std::optional<Sentence> changed = with_subject_number_changed(sentence, lexicon);
      if (changed) {
        SentencePairExample example;
        example.first = sentence;
        example.entailment = tasks.pairs.size() % 2 == 0;
        // The rarer kinds (paraphrase, role swap) are taken whenever a sentence allows them.
        if (example.entailment) {
          std::optional<Sentence> paraphrase = with_adjectives_reordered(sentence, lexicon);
          example.kind = paraphrase ? PairKind::paraphrase : PairKind::identical;
          example.second = paraphrase ? std::move(*paraphrase) : sentence;
        } else {
          std::optional<Sentence> swapped = with_arguments_swapped(sentence, lexicon);
          const bool swap = swapped.has_value();
          example.kind = swap ? PairKind::role_swap : PairKind::number;
          example.second = swap ? std::move(*swapped) : std::move(*changed);
        }
        tasks.pairs.push_back(std::move(example));
      }
    }
  }
  shuffle_and_split(tasks.acceptability, options.split_seed, 0, options.dev_fraction);
  shuffle_and_split(tasks.pairs, options.split_seed, 1, options.dev_fraction);
  return tasks;
}

TaskCounts write_tasks(const TaskSet& tasks, const std::filesystem::path& dir) {
  TaskCounts counts;
  {
    std::ofstream train = open(dir / "acceptability" / "train.tsv");
    std::ofstream dev = open(dir / "acceptability" / "dev.tsv");
    for (const AcceptabilityExample& example : tasks.acceptability) {
      (example.dev ? dev : train) << "synthetic\t" << example.label << '\t'
                                  << (example.label == 0 ? "*" : "") << '\t'
                                  << example.sentence.text << '\n';
      ++(example.dev ? counts.acceptability_dev : counts.acceptability_train);
    }
  }
  {
    std::ofstream train = open(dir / "pairs" / "train.tsv");
    std::ofstream dev = open(dir / "pairs" / "dev.tsv");
    train << "index\tsentence1\tsentence2\tlabel\n";
    dev << "index\tsentence1\tsentence2\tlabel\n";
    for (const SentencePairExample& example : tasks.pairs) {
      std::uint64_t& index = example.dev ? counts.pairs_dev : counts.pairs_train;
      (example.dev ? dev : train) << index << '\t' << example.first.text << '\t'
                                  << example.second.text << '\t'
                                  << (example.entailment ? "entailment" : "not_entailment") << '\n';
      ++index;
      switch (example.kind) {
        case PairKind::identical:
          ++counts.pairs_identical;
          break;
        case PairKind::paraphrase:
          ++counts.pairs_paraphrase;
          break;
        case PairKind::number:
          ++counts.pairs_number;
          break;
        case PairKind::role_swap:
          ++counts.pairs_role_swap;
          break;
      }
    }
  }
  std::ofstream pairs = open(dir / "minimal_pairs.jsonl");
  for (std::size_t i = 0; i < tasks.minimal_pairs.size(); ++i)
    pairs << json_line(tasks.minimal_pairs[i], i);
  counts.minimal_pairs = tasks.minimal_pairs.size();
  return counts;
}

}  // namespace dac::synthetic
