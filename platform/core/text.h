#pragma once
// Text shown to a person, in both languages the product speaks. Messages are
// written where the error happens (zh-CN first, English second) so that a
// message and its translation cannot drift apart in a distant catalogue.
#include <string>
#include <string_view>

namespace xf {

enum class Lang { zh_CN, en };

struct Text {
  std::string zh;
  std::string en;
  const std::string& in(Lang lang) const { return lang == Lang::en ? en : zh; }
};

// Parses an Accept-Language header or a stored preference ("en", "zh-CN",
// "en-US,en;q=0.9"); anything not English is Chinese, the default.
Lang parse_lang(std::string_view header);
std::string_view lang_code(Lang lang);

}  // namespace xf
