#include "platform/http/html.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace xf::http {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

// Read on every request (it is small and in the page cache), so a rebuilt
// web app is served at once, as static_site serves it.
std::optional<std::string> read_index(const std::string& web_root) {
  std::ifstream in(std::filesystem::path(web_root) / "index.html", std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Replaces what lies between `open` and the next `close` (the shell's title
// and its empty app element).
void replace_between(std::string& page, std::string_view open, std::string_view close,
                     std::string_view with) {
  size_t start = page.find(open);
  if (start == std::string::npos) return;
  start += open.size();
  size_t end = page.find(close, start);
  if (end == std::string::npos) return;
  page.replace(start, end - start, with);
}

}  // namespace

Response app_page(const std::string& web_root, const Request& request, std::string_view title,
                  std::string_view app_html) {
  auto page = read_index(web_root);
  if (!page) return http_error(404, request.lang);
  replace_between(*page, "<title>", "</title>", html_escape(title));
  replace_between(*page, "<div id=\"app\">", "</div>", app_html);
  Response response;
  response.headers.set("Content-Type", "text/html; charset=utf-8");
  response.headers.set("Cache-Control", "no-cache");
  response.body = std::move(*page);
  return response;
}

}  // namespace xf::http
