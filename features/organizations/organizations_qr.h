#pragma once
// QR codes (libqrencode) for the public unit page, as SVG and PNG (libpng).
#include <string>
#include <string_view>

#include "platform/core/result.h"

namespace xf::organizations {

// A square SVG with a 4-module quiet zone, scalable for an A4 poster.
Result<std::string> qr_svg(std::string_view text);
// A black-on-white PNG about `size_px` wide (clamped to 64–2048), whole pixels per module.
Result<std::string> qr_png(std::string_view text, int size_px);

}  // namespace xf::organizations
