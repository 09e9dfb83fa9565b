#include "features/organizations/organizations_qr.h"

#include <png.h>
#include <qrencode.h>

#include <algorithm>
#include <csetjmp>
#include <memory>
#include <vector>

namespace xf::organizations {

namespace {

// Four light modules around the symbol, as the QR standard asks.
constexpr int kQuietZone = 4;

// The encoded symbol as rows of dark (true) and light modules.
struct Symbol {
  int width = 0;
  std::vector<bool> dark;
  bool at(int x, int y) const { return dark[static_cast<size_t>(y * width + x)]; }
};

// Error level M: survives a smudged or slightly torn poster.
Result<Symbol> encode(std::string_view text) {
  std::string data(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!code) return Error::internal("libqrencode could not encode " + data);
  Symbol symbol;
  symbol.width = code->width;
  symbol.dark.resize(static_cast<size_t>(code->width * code->width));
  for (size_t i = 0; i < symbol.dark.size(); ++i) symbol.dark[i] = (code->data[i] & 1) != 0;
  return symbol;
}

void append_to_string(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), length);
}

void flush_nothing(png_structp) {}

// libpng reports errors by longjmp, so this function holds no object with a
// destructor between setjmp and the calls that may jump.
bool write_gray_png(png_bytepp rows, int side, std::string* out) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, info ? &info : nullptr);
    return false;
  }
  png_set_write_fn(png, out, append_to_string, flush_nothing);
  png_set_IHDR(png, info, static_cast<png_uint_32>(side), static_cast<png_uint_32>(side), 8,
               PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_set_rows(png, info, rows);
  png_write_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

Result<std::string> qr_svg(std::string_view text) {
  XF_TRY(auto symbol, encode(text));
  int side = symbol.width + 2 * kQuietZone;
  std::string svg =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
      std::to_string(side) + " " + std::to_string(side) +
      "\" shape-rendering=\"crispEdges\">"
      "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  // One path of unit squares, one per dark module: small and exact.
  for (int y = 0; y < symbol.width; ++y)
    for (int x = 0; x < symbol.width; ++x)
      if (symbol.at(x, y))
        svg += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) +
               "h1v1h-1z";
  svg += "\"/></svg>\n";
  return svg;
}

Result<std::string> qr_png(std::string_view text, int size_px) {
  XF_TRY(auto symbol, encode(text));
  int modules = symbol.width + 2 * kQuietZone;
  int scale = std::max(1, std::clamp(size_px, 64, 2048) / modules);
  int side = modules * scale;
  std::vector<unsigned char> pixels(static_cast<size_t>(side * side), 0xFF);
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x) {
      int mx = x / scale - kQuietZone, my = y / scale - kQuietZone;
      bool inside = mx >= 0 && my >= 0 && mx < symbol.width && my < symbol.width;
      if (inside && symbol.at(mx, my)) pixels[static_cast<size_t>(y * side + x)] = 0;
    }
  std::vector<png_bytep> rows(static_cast<size_t>(side));
  for (int y = 0; y < side; ++y)
    rows[static_cast<size_t>(y)] = &pixels[static_cast<size_t>(y * side)];
  std::string png;
  if (!write_gray_png(rows.data(), side, &png))
    return Error::internal("libpng could not write the QR code");
  return png;
}

}  // namespace xf::organizations
