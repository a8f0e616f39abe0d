// UTF-8 decoding and repair. Text from corpora may hold invalid bytes: they are replaced by U+FFFD
// and counted, never a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dac::text {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// Decodes the code point starting at `text[pos]`. Returns its length in bytes (1-4); an invalid or
// truncated sequence (overlong forms, surrogates, > U+10FFFF) yields U+FFFD with length 1.
std::size_t decode_utf8(std::string_view text, std::size_t pos, char32_t& code_point);

// Appends the UTF-8 encoding of `code_point` to `out`.
void append_utf8(char32_t code_point, std::string& out);

// True when `text` is entirely valid UTF-8.
bool is_valid_utf8(std::string_view text);

// `text` with every invalid sequence replaced by U+FFFD; adds the number of replacements to
// `*replaced` when given. Valid input is returned unchanged (fast path for ASCII).
std::string repair_utf8(std::string_view text, std::size_t* replaced = nullptr);

}  // namespace dac::text
