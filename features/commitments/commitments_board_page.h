#pragma once
// The public board as plain HTML, for the first paint of /u/{code}: on a slow
// phone connection the web app's scripts take seconds to arrive, so the
// server puts the unit's name, its theme and every public commitment with
// its progress into the page itself; the app replaces it when it starts
// (README.md, "The public board on a slow connection").
#include <string>

#include "features/commitments/commitments_service.h"

namespace xf::commitments {

// Chinese, the public's default language; every text is escaped.
std::string board_first_paint(const Board& board);

}  // namespace xf::commitments
