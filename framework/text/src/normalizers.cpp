// Unicode character properties shared by the built-in normalisers, and creating a normaliser by
// name.
#include "dac/text/normalizers.hpp"

#include <utf8proc.h>

#include <algorithm>

#include "dac/error.hpp"
#include "dac/suggest.hpp"
#include "dac/text/utf8.hpp"
#include "normalizer_support.hpp"

namespace dac::text {

namespace detail {

namespace {

utf8proc_category_t category(char32_t c) {
  return utf8proc_category(static_cast<utf8proc_int32_t>(c));
}

char32_t lower(char32_t c) {
  return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
}

bool is_cased(char32_t c) {
  const auto cat = category(c);
  if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL || cat == UTF8PROC_CATEGORY_LT)
    return true;
  const auto code = static_cast<utf8proc_int32_t>(c);
  return utf8proc_tolower(code) != code || utf8proc_toupper(code) != code;
}

// Unicode's Case_Ignorable: Mn, Me, Cf, Lm, Sk and the word-internal punctuation
// (Word_Break MidLetter, MidNumLet, Single_Quote).
bool is_case_ignorable(char32_t c) {
  static constexpr char32_t kWordInternal[] = {'\'',   '.',    ':',    0xB7,   0x387,  0x55F,
                                               0x5F4,  0x2018, 0x2019, 0x2024, 0x2027, 0xFE13,
                                               0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A};
  if (std::find(std::begin(kWordInternal), std::end(kWordInternal), c) != std::end(kWordInternal))
    return true;
  const auto cat = category(c);
  return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_ME ||
         cat == UTF8PROC_CATEGORY_CF || cat == UTF8PROC_CATEGORY_LM || cat == UTF8PROC_CATEGORY_SK;
}

// Characters the BERT normaliser drops before lowercasing.
bool is_dropped(char32_t c) {
  return c == 0 || c == kReplacementCharacter || is_unicode_control(c);
}

// Whether a cased letter comes first when walking from raw[pos] (forward) or from before raw[pos]
// (backward), skipping case-ignorable and dropped characters.
bool cased_next(std::string_view raw, std::size_t pos, bool forward) {
  while (forward ? pos < raw.size() : pos > 0) {
    char32_t c;
    std::size_t start = pos;
    if (forward) {
      pos += decode_utf8(raw, start, c);
    } else {
      --start;
      while (start > 0 && pos - start < 4 &&
             (static_cast<unsigned char>(raw[start]) & 0xC0) == 0x80)
        --start;
      if (start + decode_utf8(raw, start, c) != pos) {  // invalid: step back one byte
        c = kReplacementCharacter;
        start = pos - 1;
      }
      pos = start;
    }
    if (!is_case_ignorable(c) && !is_dropped(c)) return is_cased(c);
  }
  return false;
}

}  // namespace

int lower_decompose_strip(char32_t c, char32_t* out) {
  utf8proc_int32_t parts[kMaxExpansion];
  int boundclass = UTF8PROC_BOUNDCLASS_START;
  const utf8proc_ssize_t count =
      utf8proc_decompose_char(static_cast<utf8proc_int32_t>(lower(c)), parts, kMaxExpansion,
                              UTF8PROC_DECOMPOSE, &boundclass);
  int written = 0;
  for (utf8proc_ssize_t i = 0; i < std::min<utf8proc_ssize_t>(count, kMaxExpansion); ++i) {
    const char32_t part = lower(static_cast<char32_t>(parts[i]));
    if (category(part) != UTF8PROC_CATEGORY_MN) out[written++] = part;
  }
  return written;
}

bool is_unicode_control(char32_t c) {
  const auto cat = category(c);
  return cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_CF ||
         cat == UTF8PROC_CATEGORY_CS || cat == UTF8PROC_CATEGORY_CO || cat == UTF8PROC_CATEGORY_CN;
}

bool is_unicode_whitespace(char32_t c) {
  const auto cat = category(c);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

bool is_unicode_punct(char32_t c) {
  const auto cat = category(c);
  return cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO;
}

bool is_cjk_ideograph(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
         (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

bool is_final_sigma(std::string_view raw, std::size_t begin, std::size_t end) {
  return cased_next(raw, begin, false) && !cased_next(raw, end, true);
}

}  // namespace detail

std::vector<std::string> normalizer_names() {
  return {"bert_uncased", "crammed"};
}

std::unique_ptr<dac::Normalizer> make_normalizer(const std::string& name) {
  if (name == "bert_uncased") return std::make_unique<BertUncasedNormalizer>();
  if (name == "crammed") return std::make_unique<CrammedNormalizer>();
  throw UserError("unknown normalizer '" + name + "'" + did_you_mean(name, normalizer_names()) +
                  " (known: bert_uncased, crammed)");
}

}  // namespace dac::text
