// Training the built-in tagger and dependency parser on a CoNLL-U treebank, keeping the model of
// the epoch with the best LAS on the development treebank. Torch stays out of this header.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "dac/parser/parser_config.hpp"
#include "dac/syntax/sentence.hpp"

namespace dac::parser {

struct ParserTrainingOptions {
  ParserConfig config;
  std::string preset = "accurate";       // recorded in the model file
  unsigned threads = 1;                  // torch intra-op threads
  std::string train_source, dev_source;  // recorded in the model file
  // Called with one line per epoch (and a few more), e.g. to print or log it.
  std::function<void(const std::string&)> log;
};

struct EpochScores {
  int epoch = 0;
  double loss = 0, upos = 0, uas = 0, las = 0;  // dev scores in percent, gold tokenisation
  double seconds = 0, train_words_per_second = 0;
};

struct ParserTrainingReport {
  std::vector<EpochScores> epochs;
  EpochScores best;
  double seconds = 0;
};

// The sentences of a CoNLL-U treebank to train or score on; a UserError naming the file (and the
// line) when it has no sentences or a malformed one.
std::vector<Sentence> read_training_treebank(const std::filesystem::path& path);

// Trains on `train`, scores every epoch on `dev`, and writes the best epoch's model to `out`
// (atomically; the file always holds the best model so far). Sentences must be valid trees.
ParserTrainingReport train_parser(const std::vector<Sentence>& train,
                                  const std::vector<Sentence>& dev,
                                  const ParserTrainingOptions& options,
                                  const std::filesystem::path& out);

}  // namespace dac::parser
