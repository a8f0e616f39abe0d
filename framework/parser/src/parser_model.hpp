// A parser model in memory (settings, vocabularies, network), its model file, and prediction on a
// batch of sentences.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "dac/parser/parser_config.hpp"
#include "dac/parser/parser_vocab.hpp"
#include "dac/syntax/sentence.hpp"
#include "parser_network.hpp"

namespace dac::parser {

// The model file format this build writes and reads.
inline constexpr const char* kParserFormat = "dacrun-parser";
inline constexpr int kParserFormatVersion = 1;

struct ParserModel {
  ParserConfig config;
  ParserVocab vocab;
  ParserNetwork network{nullptr};
  std::map<std::string, std::string> facts;  // training facts kept in the file (scores, data)
};

ParserModel new_parser_model(const ParserConfig& config, ParserVocab vocab);
// One safetensors file: float32 weights; settings, vocabularies, format and version as metadata.
void save_parser_model(const ParserModel& model, const std::filesystem::path& path);
// A UserError naming the file for a missing file, another format, or another format version.
ParserModel load_parser_model(const std::filesystem::path& path);

// Fills UPOS, head and relation of every word of `sentences` (one batch; the network must be in
// eval mode and gradients off).
void predict(ParserModel& model, const std::vector<Sentence*>& sentences);

}  // namespace dac::parser
