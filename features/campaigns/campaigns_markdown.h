#pragma once
// Plans are written in Markdown and shown as HTML. The server renders with
// cmark (libcmark, CommonMark's reference C library) in its default safe
// mode: raw HTML in the text is replaced by a comment and links or images
// with javascript:, vbscript:, file: or data: (other than images) URLs are
// dropped, so a plan's text can never run script on the public page.
#include <string>
#include <string_view>

namespace xf::campaigns {

std::string render_markdown(std::string_view markdown);

}  // namespace xf::campaigns
