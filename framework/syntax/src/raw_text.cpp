// Rebuilding the raw text of a CoNLL-U treebank from its "# text", "# newdoc" and "# newpar"
// comments.
#include "dac/syntax/raw_text.hpp"

#include <cstdlib>
#include <string_view>

#include "dac/syntax/conllu.hpp"

namespace dac::syntax {

namespace {

bool has_comment(const Sentence& sentence, std::string_view key) {
  for (const std::string& comment : sentence.comments) {
    std::string_view rest(comment);
    rest.remove_prefix(1);
    while (rest.starts_with(' ')) rest.remove_prefix(1);
    if (rest.starts_with(key) &&
        (rest.size() == key.size() || rest[key.size()] == ' ' || rest[key.size()] == '='))
      return true;
  }
  return false;
}

// The surface tokens of a sentence joined with spaces: multiword tokens instead of their words.
std::string surface_text(const Sentence& sentence) {
  std::string text;
  auto extra = sentence.extra_lines.begin();
  for (std::size_t i = 0; i < sentence.words.size();) {
    std::string_view form = sentence.words[i].form;
    std::size_t count = 1;
    for (; extra != sentence.extra_lines.end() && extra->before <= i; ++extra) {
      if (extra->before != i || extra->kind != ExtraLine::Kind::multiword_token) continue;
      const std::string& id = extra->columns[0];
      const std::size_t dash = id.find('-');
      const int first = std::atoi(id.c_str()), last = std::atoi(id.c_str() + dash + 1);
      if (last < first) continue;
      form = extra->columns[1];
      count = static_cast<std::size_t>(last - first + 1);
    }
    if (!text.empty()) text += ' ';
    text += form;
    i += count;
  }
  return text;
}

}  // namespace

std::vector<RawDocument> raw_documents(const std::vector<Sentence>& sentences) {
  std::vector<RawDocument> documents;
  bool paragraph_open = false;
  for (const Sentence& sentence : sentences) {
    if (documents.empty() || has_comment(sentence, "newdoc")) {
      documents.push_back({comment_value(sentence, "newdoc id").value_or(""), ""});
      paragraph_open = false;
    }
    std::string& text = documents.back().text;
    if (has_comment(sentence, "newpar") && !text.empty()) {
      text += "\n\n";
    } else if (paragraph_open) {
      text += ' ';
    }
    paragraph_open = true;
    const auto comment = comment_value(sentence, "text");
    text += comment ? *comment : surface_text(sentence);
  }
  return documents;
}

}  // namespace dac::syntax
