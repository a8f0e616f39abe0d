// Reading and writing agreements-<split>.tsv:
//   # agreement chunks of GLUE examples; positions index [CLS] A [SEP] B [SEP]
//   fingerprint	<16 hex digits>
//   examples	<count>
//   max_length	<wordpieces>
//   types	<type> <type> ...
//   example	type	controller	target	members
//   <example>	<type>	<position>	<position>	<position>,<position>,...
#include "glue_agreement_cache.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <ostream>
#include <sstream>

#include "dac/error.hpp"
#include "dac/summary.hpp"

namespace dac::finetune {

namespace fs = std::filesystem;

namespace {

constexpr const char* kColumns = "example\ttype\tcontroller\ttarget\tmembers";

std::vector<std::string> split_on(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  return parts;
}

std::uint32_t position(const std::string& text, const std::string& where) {
  std::uint32_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size())
    throw UserError(where + ": '" + text + "' is not a position (delete the file to rebuild it)");
  return value;
}

// "key<TAB>value" of a header line, or "" when the line holds another key.
std::string header_value(const std::string& line, const std::string& key) {
  return line.rfind(key + "\t", 0) == 0 ? line.substr(key.size() + 1) : "";
}

}  // namespace

std::optional<SplitAgreements> read_agreement_cache(const fs::path& path,
                                                    const std::string& fingerprint,
                                                    std::size_t examples) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::string line;
  std::vector<std::string> header;
  while (header.size() < 6 && std::getline(in, line)) header.push_back(line);
  if (header.size() < 6 || header_value(header[1], "fingerprint") != fingerprint ||
      header_value(header[2], "examples") != std::to_string(examples) || header[5] != kColumns)
    return std::nullopt;
  SplitAgreements chunks;
  chunks.types = split_on(header_value(header[4], "types"), ' ');
  chunks.examples.resize(examples);
  std::size_t number = header.size();
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    const std::string where = path.string() + ":" + std::to_string(number);
    const std::vector<std::string> cells = split_on(line, '\t');
    if (cells.size() != 5)
      throw UserError(where + ": expected 5 tab-separated columns (" + kColumns + "), found " +
                      std::to_string(cells.size()) + " (delete the file to rebuild it)");
    const std::uint32_t example = position(cells[0], where);
    const auto type = std::find(chunks.types.begin(), chunks.types.end(), cells[1]);
    if (example >= examples || type == chunks.types.end())
      throw UserError(where + ": example " + cells[0] + " or type '" + cells[1] +
                      "' is not in the header (delete the file to rebuild it)");
    ExampleChunk chunk;
    chunk.type = static_cast<std::uint16_t>(type - chunks.types.begin());
    chunk.controller = position(cells[2], where);
    chunk.target = position(cells[3], where);
    for (const std::string& member : split_on(cells[4], ','))
      chunk.members.push_back(position(member, where));
    chunks.examples[example].push_back(std::move(chunk));
  }
  return chunks;
}

void write_agreement_cache(const fs::path& path, const SplitAgreements& chunks,
                           const std::string& fingerprint, std::size_t max_length) {
  std::string types;
  for (const std::string& type : chunks.types) types += (types.empty() ? "" : " ") + type;
  fs::create_directories(path.parent_path());
  write_file_atomically(path, [&](std::ostream& out) {
    out << "# agreement chunks of GLUE examples; positions index [CLS] A [SEP] B [SEP]\n"
        << "fingerprint\t" << fingerprint << "\n"
        << "examples\t" << chunks.examples.size() << "\n"
        << "max_length\t" << max_length << "\n"
        << "types\t" << types << "\n"
        << kColumns << "\n";
    for (std::size_t example = 0; example < chunks.examples.size(); ++example)
      for (const ExampleChunk& chunk : chunks.examples[example]) {
        out << example << '\t' << chunks.types.at(chunk.type) << '\t' << chunk.controller << '\t'
            << chunk.target << '\t';
        for (std::size_t m = 0; m < chunk.members.size(); ++m)
          out << (m == 0 ? "" : ",") << chunk.members[m];
        out << '\n';
      }
  });
}

}  // namespace dac::finetune
