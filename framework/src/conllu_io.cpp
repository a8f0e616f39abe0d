// Streaming CoNLL-U files sentence by sentence, and writing sentences back as CoNLL-U lines.
#include <iostream>

#include "dac/error.hpp"
#include "dac/syntax/conllu.hpp"

namespace dac {

namespace {

// An empty field is written as CoNLL-U's "_".
void append_field(std::string& out, std::string_view field) {
  out += '\t';
  out += field.empty() ? std::string_view("_") : field;
}

void append_word(std::string& out, std::size_t index, const Word& word) {
  out += std::to_string(index + 1);
  for (const std::string* field : {&word.form, &word.lemma, &word.upos, &word.xpos, &word.feats})
    append_field(out, *field);
  append_field(out, std::to_string(word.head + 1));
  for (const std::string* field : {&word.deprel, &word.deps, &word.misc}) append_field(out, *field);
  out += '\n';
}

void append_extra(std::string& out, const ExtraLine& extra) {
  out += extra.columns[0];
  for (std::size_t i = 1; i < extra.columns.size(); ++i) append_field(out, extra.columns[i]);
  out += '\n';
}

}  // namespace

ConlluReader::ConlluReader(const std::filesystem::path& path, ConlluOptions options)
    : path_(path), options_(options), in_(path, std::ios::binary) {
  if (!in_) throw UserError("cannot read CoNLL-U file " + path.string());
}

bool ConlluReader::read_block() {
  block_.clear();
  std::string line;
  while (std::getline(in_, line)) {
    ++line_number_;
    if (line.empty()) {
      if (block_.empty()) continue;  // extra blank lines between sentences
      return true;
    }
    if (block_.empty()) block_start_ = line_number_;
    block_.push_back(std::move(line));
  }
  if (in_.bad()) throw UserError("cannot read CoNLL-U file " + path_.string());
  return !block_.empty();  // the last sentence may lack its closing blank line
}

bool ConlluReader::next(Sentence& sentence) {
  while (read_block()) {
    if (!options_.skip_malformed) {
      sentence = parse_conllu_sentence(block_, path_.string(), block_start_);
      return true;
    }
    try {
      sentence = parse_conllu_sentence(block_, path_.string(), block_start_);
      return true;
    } catch (const UserError&) {
      ++skipped_;
    }
  }
  return false;
}

std::vector<Sentence> read_conllu_file(const std::filesystem::path& path, ConlluOptions options) {
  ConlluReader reader(path, options);
  std::vector<Sentence> sentences;
  Sentence sentence;
  while (reader.next(sentence)) sentences.push_back(std::move(sentence));
  return sentences;
}

std::string to_conllu(const Sentence& sentence) {
  std::string out;
  for (const std::string& comment : sentence.comments) out += comment + '\n';
  if (!sentence.text.empty() && !comment_value(sentence, "text"))
    out += "# text = " + sentence.text + '\n';
  auto extra = sentence.extra_lines.begin();
  for (std::size_t i = 0; i < sentence.words.size(); ++i) {
    for (; extra != sentence.extra_lines.end() && extra->before <= i; ++extra)
      append_extra(out, *extra);
    append_word(out, i, sentence.words[i]);
  }
  for (; extra != sentence.extra_lines.end(); ++extra) append_extra(out, *extra);
  out += '\n';
  return out;
}

void write_conllu(std::ostream& out, const Sentence& sentence) {
  out << to_conllu(sentence);
}

}  // namespace dac
