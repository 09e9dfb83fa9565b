#pragma once
// HTML written by the server itself (printable sheets, the first paint of
// public pages): every piece of text goes through html_escape.
#include <string>
#include <string_view>

#include "platform/http/http.h"

namespace xf::http {

// Text for an element or a double-quoted attribute: & < > " ' escaped.
std::string html_escape(std::string_view text);

// The web app's index.html (from the built web root) with `title` and with
// `app_html` inside its <div id="app">, which the app replaces as it starts:
// what a slow phone shows before the scripts arrive. No-cache, like
// index.html itself; 404 when the web root has no index.html.
Response app_page(const std::string& web_root, const Request& request, std::string_view title,
                  std::string_view app_html);

}  // namespace xf::http
