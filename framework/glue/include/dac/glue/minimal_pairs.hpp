// Minimal pairs for agreement probing: BLiMP's JSON Lines format (sentence_good, sentence_bad,
// linguistics_term, UID, pairID, ...), also written by the synthetic_tasks stage with an extra
// "agreement_type" field. Reading, with errors naming the file and line. No torch.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace dac::glue {

struct MinimalPair {
  std::string good;            // sentence_good
  std::string bad;             // sentence_bad
  std::string agreement_type;  // see agreement_type_of
  std::string uid;             // UID ("" when absent)
  std::string pair_id;         // pairID ("" when absent)
  std::size_t line = 0;        // 1-based line of its file
};

// The agreement type of a pair: `agreement_type` when not empty, else `linguistics_term` less a
// trailing "_agreement" ("subject_verb_agreement" -> "subject_verb"), else "other".
std::string agreement_type_of(std::string_view agreement_type, std::string_view linguistics_term);

// The pairs of JSON Lines `text` (blank lines skipped), at most `max_pairs` of them (0: all).
// `source` names the text in errors: a UserError "SOURCE:LINE: ..." for a line that is not a
// JSON object or lacks sentence_good / sentence_bad strings.
std::vector<MinimalPair> parse_minimal_pairs(std::string_view text, const std::string& source,
                                             std::size_t max_pairs = 0);
// The same for a file; a missing or unreadable file is a UserError naming it.
std::vector<MinimalPair> read_minimal_pairs(const std::filesystem::path& path,
                                            std::size_t max_pairs = 0);

}  // namespace dac::glue
