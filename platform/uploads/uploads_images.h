#pragma once
// Images through libvips: decoded with the one loader of the sniffed kind
// (never a loader vips would guess), bounded in pixels before decoding,
// turned upright from their EXIF orientation, and saved again WITHOUT any
// metadata — EXIF (with its GPS position), XMP, IPTC — plus a thumbnail.
// libvips stays inside uploads_images.cpp.
#include <string>
#include <string_view>

#include "platform/core/result.h"
#include "platform/uploads/uploads.h"

namespace xf::uploads {

struct ImageLimits {
  int64_t max_pixels = 40'000'000;  // a decompression bomb stops here
  int thumbnail_width = 320;
};

struct ProcessedImage {
  int width = 0;  // after turning upright
  int height = 0;
  std::string bytes;      // the stored image: same kind, no metadata
  std::string thumbnail;  // JPEG, at most thumbnail_width wide, no metadata
};

// invalid_argument on field "file" when the bytes do not decode as `kind`.
Result<ProcessedImage> process_image(FileKind kind, std::string_view bytes,
                                     const ImageLimits& limits);

// A generated 640×480 JPEG — a colour gradient chosen by `seed` with
// `caption` written across it — so that the demo's evidence has real
// pictures and thumbnails. internal when libvips cannot draw it.
Result<std::string> sample_photo_jpeg(std::string_view caption, uint32_t seed);

}  // namespace xf::uploads
