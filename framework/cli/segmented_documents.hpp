// Raw documents -> segmented sentences ready to write as CoNLL-U (comments "# newdoc", "# newpar",
// "# sent_id", "# text"; SpaceAfter=No marks; a flat tree: the first word is the root, the others
// depend on it), and writing sentences as CoNLL-U. Shared by `dacrun segment` and `dacrun parse`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dac/syntax/raw_text.hpp"
#include "dac/syntax/segmenter.hpp"

namespace dac::cli {

// The documents of FILE: the whole file as one document for format "text"; the documents rebuilt
// from a CoNLL-U treebank's "# text" lines for "conllu-text". A UserError for another format or
// an unreadable file.
std::vector<syntax::RawDocument> read_raw_documents(const std::string& path,
                                                    const std::string& format);

// Every sentence of every document, numbered from 1 in "# sent_id".
std::vector<Sentence> segment_documents(const std::vector<syntax::RawDocument>& documents,
                                        const syntax::SegmenterOptions& options);

// Writes `sentences` as CoNLL-U to `path`, or to standard output when there is none; returns the
// number of words written. A UserError when the file cannot be written.
std::uint64_t write_sentences(const std::vector<Sentence>& sentences,
                              const std::optional<std::string>& path);

}  // namespace dac::cli
