#include "platform/uploads/uploads_images.h"

#include <vips/vips.h>

#include <memory>
#include <mutex>

namespace xf::uploads {
namespace {

struct ImageUnref {
  void operator()(VipsImage* image) const { g_object_unref(image); }
};
using Image = std::unique_ptr<VipsImage, ImageUnref>;

struct BufferFree {
  void operator()(void* buffer) const { g_free(buffer); }
};

// Once per process. The operation cache is off because it would keep
// references to uploaded buffers; one thread per operation because the
// server's workers already use the cores; untrusted loaders (those vips
// marks as unsafe for hostile input) are blocked outright.
void init_vips_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (VIPS_INIT("xianfeng") != 0) return;
    vips_cache_set_max(0);
    vips_concurrency_set(1);
    vips_block_untrusted_set(TRUE);
  });
}

Error not_an_image(FileKind kind) {
  std::string detail = vips_error_buffer();
  vips_error_clear();
  auto type = std::string(content_type_of(kind));
  Error error =
      Error::invalid("file", {"无法读取该图片文件(" + type + "),文件可能已损坏",
                              "The image (" + type + ") cannot be read; it may be damaged"});
  error.detail = detail;
  return error;
}

// The loader of exactly the sniffed kind; errors and truncation fail.
Image load(FileKind kind, std::string_view bytes) {
  void* data = const_cast<char*>(bytes.data());
  VipsImage* out = nullptr;
  int rc = -1;
  switch (kind) {
    case FileKind::jpeg:
      rc = vips_jpegload_buffer(data, bytes.size(), &out, "fail_on", VIPS_FAIL_ON_ERROR, nullptr);
      break;
    case FileKind::png:
      rc = vips_pngload_buffer(data, bytes.size(), &out, "fail_on", VIPS_FAIL_ON_ERROR, nullptr);
      break;
    case FileKind::webp:
      rc = vips_webpload_buffer(data, bytes.size(), &out, "fail_on", VIPS_FAIL_ON_ERROR, nullptr);
      break;
    case FileKind::pdf:
      break;
  }
  return rc == 0 ? Image(out) : Image();
}

// Saves without metadata ("strip"), in the kind it came in.
Result<std::string> save(FileKind kind, VipsImage* image, int quality) {
  void* buffer = nullptr;
  size_t length = 0;
  int rc = -1;
  switch (kind) {
    case FileKind::jpeg:
      rc = vips_jpegsave_buffer(image, &buffer, &length, "Q", quality, "strip", TRUE, nullptr);
      break;
    case FileKind::png:
      rc = vips_pngsave_buffer(image, &buffer, &length, "strip", TRUE, nullptr);
      break;
    case FileKind::webp:
      rc = vips_webpsave_buffer(image, &buffer, &length, "Q", quality, "strip", TRUE, nullptr);
      break;
    case FileKind::pdf:
      break;
  }
  if (rc != 0) return not_an_image(kind);
  std::unique_ptr<void, BufferFree> owned(buffer);
  return std::string(static_cast<const char*>(buffer), length);
}

// A JPEG thumbnail: transparent parts on white, as a page would show them.
Result<std::string> thumbnail(FileKind kind, VipsImage* upright, int width) {
  VipsImage* out = nullptr;
  if (vips_thumbnail_image(upright, &out, width, "height", VIPS_MAX_COORD, "size", VIPS_SIZE_DOWN,
                           nullptr) != 0)
    return not_an_image(kind);
  Image small(out);
  if (vips_image_hasalpha(small.get())) {
    VipsArrayDouble* white = vips_array_double_newv(1, 255.0);
    int rc = vips_flatten(small.get(), &out, "background", white, nullptr);
    vips_area_unref(VIPS_AREA(white));
    if (rc != 0) return not_an_image(kind);
    small.reset(out);
  }
  return save(FileKind::jpeg, small.get(), 80);
}

}  // namespace

Result<ProcessedImage> process_image(FileKind kind, std::string_view bytes,
                                     const ImageLimits& limits) {
  init_vips_once();
  Image original = load(kind, bytes);
  if (!original) return not_an_image(kind);
  // The header is read; no pixel has been decoded yet.
  int64_t pixels =
      int64_t{vips_image_get_width(original.get())} * vips_image_get_height(original.get());
  if (pixels > limits.max_pixels)
    return Error::invalid(
        "file",
        {"图片像素过多(最多 " + std::to_string(limits.max_pixels) + " 像素)",
         "The image has too many pixels (at most " + std::to_string(limits.max_pixels) + ")"});
  VipsImage* out = nullptr;
  if (vips_autorot(original.get(), &out, nullptr) != 0) return not_an_image(kind);
  // Decoded once into memory: both the copy and the thumbnail read it.
  Image upright(vips_image_copy_memory(out));
  g_object_unref(out);
  if (!upright) return not_an_image(kind);

  ProcessedImage result;
  result.width = vips_image_get_width(upright.get());
  result.height = vips_image_get_height(upright.get());
  XF_TRY(result.bytes, save(kind, upright.get(), 90));
  XF_TRY(result.thumbnail, thumbnail(kind, upright.get(), limits.thumbnail_width));
  return result;
}

namespace {

// Runs one vips operation that writes `out`; the first failure stops the chain.
template <typename Operation>
Result<Image> step(Operation operation) {
  VipsImage* out = nullptr;
  if (operation(&out) != 0) {
    std::string detail = vips_error_buffer();
    vips_error_clear();
    Error error = Error::internal({"无法生成示例图片", "Could not draw the sample picture"});
    error.detail = detail;
    return error;
  }
  return Image(out);
}

}  // namespace

// Drawing text loads fontconfig, whose caches live as long as the process
// by design (nothing calls FcFini); LeakSanitizer, which the dev build turns
// on, would report them at exit. The sanitizer reads this hook itself.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfontconfig\nleak:libpango\nleak:libpangoft2\nleak:libharfbuzz\n";
}

Result<std::string> sample_photo_jpeg(std::string_view caption, uint32_t seed) {
  init_vips_once();
  constexpr int kWidth = 640, kHeight = 480;
  // Two bands of coordinates scaled into a seeded red and green, a third
  // band of constant blue: a soft gradient that differs from photo to photo.
  double scale[] = {(60 + seed % 120) / double(kWidth), (60 + seed / 7 % 120) / double(kHeight)};
  double offset[] = {double(40 + seed % 90), double(60 + seed / 3 % 90)};
  XF_TRY(auto xy, step([&](VipsImage** out) { return vips_xyz(out, kWidth, kHeight, nullptr); }));
  XF_TRY(auto red_green, step([&](VipsImage** out) {
           return vips_linear(xy.get(), out, scale, offset, 2, nullptr);
         }));
  XF_TRY(auto rgb, step([&](VipsImage** out) {
           return vips_bandjoin_const1(red_green.get(), out, 150 + seed % 100, nullptr);
         }));
  XF_TRY(auto base,
         step([&](VipsImage** out) { return vips_cast_uchar(rgb.get(), out, nullptr); }));
  const std::string text(caption);
  XF_TRY(auto glyphs, step([&](VipsImage** out) {
           return vips_text(out, text.c_str(), "font", "Noto Sans CJK SC 30", "width", kWidth - 60,
                            nullptr);
         }));
  XF_TRY(auto mask, step([&](VipsImage** out) {
           return vips_embed(glyphs.get(), out, 30, kHeight - 40 - glyphs->Ysize, kWidth, kHeight,
                             nullptr);
         }));
  XF_TRY(auto black, step([&](VipsImage** out) {
           return vips_black(out, kWidth, kHeight, "bands", 3, nullptr);
         }));
  XF_TRY(auto white, step([&](VipsImage** out) {
           return vips_linear1(black.get(), out, 1.0, 255.0, "uchar", TRUE, nullptr);
         }));
  XF_TRY(auto picture, step([&](VipsImage** out) {
           return vips_ifthenelse(mask.get(), white.get(), base.get(), out, "blend", TRUE, nullptr);
         }));
  return save(FileKind::jpeg, picture.get(), 85);
}

}  // namespace xf::uploads
