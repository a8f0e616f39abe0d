// Parsing one CoNLL-U sentence from its lines, checking its tree, and aligning its words with the
// sentence text.
#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>

#include "dac/error.hpp"
#include "dac/syntax/conllu.hpp"

namespace dac {

namespace {

constexpr std::size_t kColumns = 10;

// A non-negative decimal number without sign or spaces, or nullopt.
std::optional<int> parse_number(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// The two numbers of "n-m" (multiword token) or "n.k" (empty node), split at `separator`.
std::optional<std::pair<int, int>> parse_pair(std::string_view id, char separator) {
  const std::size_t at = id.find(separator);
  if (at == std::string_view::npos) return std::nullopt;
  const auto first = parse_number(id.substr(0, at));
  const auto second = parse_number(id.substr(at + 1));
  if (!first || !second) return std::nullopt;
  return std::pair{*first, *second};
}

std::string word_label(const Sentence& sentence, int index) {
  return std::to_string(index + 1) + " '" + sentence.words[index].form + "'";
}

struct TreeProblem {
  int word;  // the word whose line the problem is reported at
  std::string reason;
};

// The first word whose head chain loops back on itself, with the loop it forms.
std::optional<TreeProblem> find_cycle(const Sentence& sentence) {
  const int size = static_cast<int>(sentence.words.size());
  enum State : char { unvisited, on_path, done };
  std::vector<State> state(size, unvisited);
  for (int start = 0; start < size; ++start) {
    std::vector<int> path;
    int word = start;
    while (word >= 0 && state[word] == unvisited) {
      state[word] = on_path;
      path.push_back(word);
      word = sentence.words[word].head;
    }
    if (word >= 0 && state[word] == on_path) {
      std::string loop;
      for (auto it = std::find(path.begin(), path.end(), word); it != path.end(); ++it)
        loop += word_label(sentence, *it) + " -> ";
      return TreeProblem{word, "cycle in the heads: " + loop + word_label(sentence, word)};
    }
    for (int visited : path) state[visited] = done;
  }
  return std::nullopt;
}

std::optional<TreeProblem> find_tree_problem(const Sentence& sentence) {
  const int size = static_cast<int>(sentence.words.size());
  int root = -1;
  for (int i = 0; i < size; ++i) {
    const int head = sentence.words[i].head;
    if (head < -1 || head >= size)
      return TreeProblem{i, "word " + word_label(sentence, i) + ": head " +
                                std::to_string(head + 1) + " is out of range (the sentence has " +
                                std::to_string(size) + " words)"};
    if (head != -1) continue;
    if (root >= 0)
      return TreeProblem{i, "two roots: words " + word_label(sentence, root) + " and " +
                                word_label(sentence, i) + " both have head 0"};
    root = i;
  }
  return find_cycle(sentence);
}

// Parses the lines of one sentence; errors name the source and line.
class SentenceParser {
 public:
  SentenceParser(std::string_view source, std::uint64_t first_line)
      : source_(source), first_line_(first_line) {}

  Sentence parse(const std::vector<std::string>& lines) {
    Sentence sentence;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      line_ = first_line_ + i;
      if (lines[i].starts_with('#')) {
        if (!sentence.words.empty() || !sentence.extra_lines.empty())
          fail("comment line after the word lines of a sentence");
        sentence.comments.push_back(lines[i]);
      } else {
        parse_token_line(lines[i], sentence);
      }
    }
    line_ = first_line_;
    if (sentence.words.empty()) fail("sentence without word lines");
    check_multiword_ends(sentence);
    if (const auto problem = find_tree_problem(sentence)) {
      line_ = word_lines_[problem->word];
      fail(problem->reason);
    }
    sentence.text = comment_value(sentence, "text").value_or("");
    compute_text_offsets(sentence);
    return sentence;
  }

 private:
  [[noreturn]] void fail(const std::string& reason) const {
    throw UserError(std::string(source_) + ":" + std::to_string(line_) + ": " + reason);
  }

  std::array<std::string, kColumns> split_columns(const std::string& line) const {
    std::array<std::string, kColumns> columns;
    std::size_t count = 0;
    std::size_t begin = 0;
    while (true) {
      const std::size_t tab = line.find('\t', begin);
      if (count < kColumns)
        columns[count] = line.substr(begin, tab == std::string::npos ? tab : tab - begin);
      ++count;
      if (tab == std::string::npos) break;
      begin = tab + 1;
    }
    if (count != kColumns)
      fail("wrong column count: expected 10 tab-separated columns, found " + std::to_string(count));
    return columns;
  }

  void parse_token_line(const std::string& line, Sentence& sentence) {
    auto columns = split_columns(line);
    const std::string& id = columns[0];
    const int next_id = static_cast<int>(sentence.words.size()) + 1;
    if (id.find('-') != std::string::npos) {
      const auto range = parse_pair(id, '-');
      if (!range || range->first != next_id || range->second <= range->first)
        fail("bad multiword token id '" + id + "' (expected " + std::to_string(next_id) +
             "-M with M > " + std::to_string(next_id) + ")");
      multiword_ends_.push_back({range->second, line_});
      add_extra(sentence, ExtraLine::Kind::multiword_token, std::move(columns));
    } else if (id.find('.') != std::string::npos) {
      const auto node = parse_pair(id, '.');
      if (!node || node->first != next_id - 1 || node->second == 0)
        fail("bad empty node id '" + id + "' (expected " + std::to_string(next_id - 1) + ".K)");
      add_extra(sentence, ExtraLine::Kind::empty_node, std::move(columns));
    } else {
      add_word(sentence, std::move(columns), next_id);
    }
  }

  void add_extra(Sentence& sentence, ExtraLine::Kind kind,
                 std::array<std::string, kColumns> columns) {
    sentence.extra_lines.push_back({kind, sentence.words.size(), std::move(columns)});
  }

  void add_word(Sentence& sentence, std::array<std::string, kColumns> columns, int expected_id) {
    const auto id = parse_number(columns[0]);
    if (!id) fail("bad word id '" + columns[0] + "'");
    if (*id != expected_id)
      fail("word id " + columns[0] + " out of order (expected " + std::to_string(expected_id) +
           ")");
    const auto head = parse_number(columns[6]);
    if (!head) fail("bad head '" + columns[6] + "' (expected a word id, or 0 for the root)");
    Word word{.form = std::move(columns[1]),
              .lemma = std::move(columns[2]),
              .upos = std::move(columns[3]),
              .xpos = std::move(columns[4]),
              .feats = std::move(columns[5]),
              .deprel = std::move(columns[7]),
              .deps = std::move(columns[8]),
              .misc = std::move(columns[9]),
              .head = *head - 1};
    sentence.words.push_back(std::move(word));
    word_lines_.push_back(line_);
  }

  void check_multiword_ends(const Sentence& sentence) {
    for (const auto& [last, line] : multiword_ends_) {
      if (last <= static_cast<int>(sentence.words.size())) continue;
      line_ = line;
      fail("multiword token ends at word " + std::to_string(last) + " but the sentence has " +
           std::to_string(sentence.words.size()) + " words");
    }
  }

  std::string_view source_;
  std::uint64_t first_line_;
  std::uint64_t line_ = 0;
  std::vector<std::uint64_t> word_lines_;                      // line of each word
  std::vector<std::pair<int, std::uint64_t>> multiword_ends_;  // last word id, line
};

// Sets the offsets of words [first, first + count) that a surface token at [begin, end) of the
// text holds: split by their forms when these spell the token exactly, else the whole token each.
void assign_token_offsets(Sentence& sentence, std::size_t first, std::size_t count,
                          std::size_t begin, std::size_t end) {
  std::string spelled;
  for (std::size_t i = first; i < first + count; ++i) spelled += sentence.words[i].form;
  const bool split = spelled == std::string_view(sentence.text).substr(begin, end - begin);
  for (std::size_t i = first; i < first + count; ++i) {
    Word& word = sentence.words[i];
    word.begin = begin;
    word.end = split ? begin + word.form.size() : end;
    if (split) begin = word.end;
  }
}

}  // namespace

Sentence parse_conllu_sentence(const std::vector<std::string>& lines, std::string_view source,
                               std::uint64_t first_line) {
  return SentenceParser(source, first_line).parse(lines);
}

void validate(const Sentence& sentence) {
  if (sentence.words.empty()) throw UserError("sentence without words");
  if (const auto problem = find_tree_problem(sentence)) throw UserError(problem->reason);
}

std::optional<std::string> comment_value(const Sentence& sentence, std::string_view key) {
  for (const std::string& comment : sentence.comments) {
    std::string_view rest(comment);
    rest.remove_prefix(1);  // '#'
    while (rest.starts_with(' ')) rest.remove_prefix(1);
    if (!rest.starts_with(key)) continue;
    rest.remove_prefix(key.size());
    while (rest.starts_with(' ')) rest.remove_prefix(1);
    if (!rest.starts_with('=')) continue;
    rest.remove_prefix(1);
    while (rest.starts_with(' ')) rest.remove_prefix(1);
    return std::string(rest);
  }
  return std::nullopt;
}

void compute_text_offsets(Sentence& sentence) {
  for (Word& word : sentence.words) word.begin = word.end = std::string::npos;
  const std::string& text = sentence.text;
  auto extra = sentence.extra_lines.begin();
  std::size_t cursor = 0;
  for (std::size_t i = 0; i < sentence.words.size();) {
    // The surface token starting at word i: a multiword token or the word itself.
    std::string_view surface = sentence.words[i].form;
    std::size_t count = 1;
    for (; extra != sentence.extra_lines.end() && extra->before <= i; ++extra) {
      if (extra->before != i || extra->kind != ExtraLine::Kind::multiword_token) continue;
      const auto range = parse_pair(extra->columns[0], '-');
      if (!range || range->second < range->first) continue;
      surface = extra->columns[1];
      count = std::min<std::size_t>(range->second - range->first + 1, sentence.words.size() - i);
    }
    while (cursor < text.size() && std::isspace(static_cast<unsigned char>(text[cursor]))) ++cursor;
    if (surface.empty() || text.compare(cursor, surface.size(), surface) != 0) return;
    assign_token_offsets(sentence, i, count, cursor, cursor + surface.size());
    cursor += surface.size();
    i += count;
  }
}

}  // namespace dac
