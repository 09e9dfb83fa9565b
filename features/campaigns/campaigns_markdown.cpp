#include "features/campaigns/campaigns_markdown.h"

#include <cmark.h>

#include <cstdlib>
#include <memory>

namespace xf::campaigns {

std::string render_markdown(std::string_view markdown) {
  // CMARK_OPT_DEFAULT is safe since cmark 0.29 (CMARK_OPT_UNSAFE turns it
  // off); VALIDATE_UTF8 replaces invalid bytes instead of passing them on.
  std::unique_ptr<char, decltype(&std::free)> html(
      cmark_markdown_to_html(markdown.data(), markdown.size(),
                             CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8),
      &std::free);
  return html ? std::string(html.get()) : std::string();
}

}  // namespace xf::campaigns
