#include "platform/uploads/uploads.h"

#include <array>
#include <cctype>

#include "platform/http/request_parts.h"

namespace xf::uploads {
namespace {

bool starts_with_bytes(std::string_view bytes, std::string_view magic, size_t at = 0) {
  return bytes.size() >= at + magic.size() && bytes.substr(at, magic.size()) == magic;
}

// How many bytes the UTF-8 sequence starting with `lead` has (1 for a
// continuation byte, which clean_filename then drops as broken).
size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

bool is_attr_char(unsigned char c) {
  // RFC 8187 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"
  if (std::isalnum(c) && c < 0x80) return true;
  return std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

std::optional<FileKind> sniff(std::string_view bytes) {
  if (starts_with_bytes(bytes, "\xFF\xD8\xFF")) return FileKind::jpeg;
  if (starts_with_bytes(bytes, "\x89PNG\r\n\x1A\n")) return FileKind::png;
  if (starts_with_bytes(bytes, "RIFF") && starts_with_bytes(bytes, "WEBP", 8) &&
      starts_with_bytes(bytes, "VP8", 12))
    return FileKind::webp;
  if (starts_with_bytes(bytes, "%PDF-")) return FileKind::pdf;
  return std::nullopt;
}

std::string_view content_type_of(FileKind kind) {
  switch (kind) {
    case FileKind::jpeg:
      return "image/jpeg";
    case FileKind::png:
      return "image/png";
    case FileKind::webp:
      return "image/webp";
    case FileKind::pdf:
      return "application/pdf";
  }
  return "application/octet-stream";
}

std::optional<FileKind> kind_of_content_type(std::string_view content_type) {
  for (auto kind : {FileKind::jpeg, FileKind::png, FileKind::webp, FileKind::pdf})
    if (content_type_of(kind) == content_type) return kind;
  return std::nullopt;
}

std::string clean_filename(std::string_view header_value) {
  auto decoded = http::percent_decode(header_value, false).value_or("");
  // Only the last path component: "C:\photos\a.jpg" and "../a.jpg" are "a.jpg".
  auto slash = decoded.find_last_of("/\\");
  std::string_view name = decoded;
  if (slash != std::string::npos) name = name.substr(slash + 1);
  std::string out;
  for (size_t i = 0; i < name.size();) {
    auto c = static_cast<unsigned char>(name[i]);
    size_t length = utf8_length(c);
    bool whole = i + length <= name.size();
    for (size_t k = 1; whole && k < length; ++k)
      whole = (static_cast<unsigned char>(name[i + k]) & 0xC0) == 0x80;
    bool control = c < 0x20 || c == 0x7F;
    bool broken = !whole || (length == 1 && c >= 0x80);
    if (!control && !broken) {
      if (out.size() + length > 255) break;
      out.append(name.substr(i, length));
    }
    i += whole ? length : 1;
  }
  while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(0, 1);
  return out.empty() ? "file" : out;
}

std::string content_disposition(std::string_view filename, bool inline_display) {
  std::string fallback;
  std::string encoded;
  static constexpr std::array<char, 16> hex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                               '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  for (unsigned char c : filename) {
    // One '_' per character the fallback cannot hold (continuations add none).
    bool printable_ascii = c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
    if ((c & 0xC0) != 0x80) fallback.push_back(printable_ascii ? static_cast<char>(c) : '_');
    if (is_attr_char(c)) {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded += '%';
      encoded += hex[c >> 4];
      encoded += hex[c & 0xF];
    }
  }
  return std::string(inline_display ? "inline" : "attachment") + "; filename=\"" + fallback +
         "\"; filename*=UTF-8''" + encoded;
}

}  // namespace xf::uploads
