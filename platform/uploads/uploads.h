#pragma once
// What an upload is, independent of storage and HTTP: the file kinds the
// platform accepts (recognised by their first bytes, never by name or
// header), the names it keeps, and the headers a download carries.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/core/id.h"
#include "platform/core/result.h"

namespace xf::uploads {

enum class FileKind { jpeg, png, webp, pdf };

// The kind the bytes are, or nullopt for anything else (text, GIF, SVG,
// HTML, executables…). Only the content decides.
std::optional<FileKind> sniff(std::string_view bytes);
std::string_view content_type_of(FileKind kind);
std::optional<FileKind> kind_of_content_type(std::string_view content_type);
inline bool is_image(FileKind kind) {
  return kind != FileKind::pdf;
}

// The original name as the person sees it: the X-Filename header,
// percent-decoded, without any folder part or control character, at most
// 255 bytes of whole UTF-8 characters; "file" when nothing is left. It is
// only ever shown and put in Content-Disposition, never used as a path.
std::string clean_filename(std::string_view header_value);

// RFC 6266: `inline` or `attachment`, an ASCII fallback `filename="…"` and
// the exact name as `filename*=UTF-8''…` (RFC 8187 percent-encoding).
std::string content_disposition(std::string_view filename, bool inline_display);

// One uploaded file as the database holds it.
struct UploadRef {
  Id id = 0;
  Id shard_id = 0;
  Id unit_id = 0;
  std::string purpose;
  std::string filename;
  std::string content_type;
  int64_t size = 0;
  std::string sha256;
  std::optional<int> width;
  std::optional<int> height;
  bool has_thumbnail = false;
  std::string storage_name;
  Id created_by = 0;  // 0: a resident without an account
  int64_t created_at = 0;
};

}  // namespace xf::uploads
