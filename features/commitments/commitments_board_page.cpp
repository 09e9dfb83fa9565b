#include "features/commitments/commitments_board_page.h"

#include <cmath>

#include "platform/http/html.h"

namespace xf::commitments {
namespace {

using http::html_escape;

// Inline so that nothing else has to arrive before the first paint (the
// Content-Security-Policy allows inline styles, not scripts).
constexpr std::string_view kStyle =
    "<style>.xf-fp{font:15px/1.5 system-ui,sans-serif;color:#323233;margin:0 auto;"
    "max-width:720px;padding:12px}.xf-fp h1{font-size:20px;margin:4px 0}.xf-fp h2{font-size:"
    "16px;margin:16px 0 8px;color:#c8161e}.xf-fp h3{font-size:15px;margin:0 0 4px}.xf-fp "
    "article{background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002;padding:10px 12px;"
    "margin:0 0 10px}.xf-fp ul{list-style:none;padding:0;margin:6px 0}.xf-fp li{margin:6px 0}"
    ".xf-fp .bar{height:6px;background:#eee;border-radius:3px}.xf-fp .bar i{display:block;"
    "height:6px;border-radius:3px;background:#c8161e}.xf-fp .late{color:#ee0a24}.xf-fp small"
    "{color:#969799}</style>";

std::string percent(double value) {
  return std::to_string(static_cast<int>(std::lround(std::clamp(value, 0.0, 100.0))));
}

void item_html(std::string& out, const Item& item, bool late) {
  out += "<li data-testid=\"board-item\">" + html_escape(item.text) + " <small>截止 " +
         html_escape(item.due_on) + " · " + percent(item.progress) + "%</small>";
  if (late) out += " <b class=\"late\">已逾期</b>";
  out += "<div class=\"bar\"><i style=\"width:" + percent(item.progress) + "%\"></i></div></li>";
}

void commitment_html(std::string& out, const BoardCommitment& bc, const std::string& today) {
  const Commitment& c = bc.row.commitment;
  out += "<article><h3>" + html_escape(c.title) + "</h3><small>";
  if (!bc.row.member_name.empty()) out += html_escape(bc.row.member_name) + " · ";
  out +=
      "总进度 " + percent(c.progress) + "%" + (bc.overdue ? " · <b class=\"late\">逾期</b>" : "");
  out += "</small><ul>";
  for (const auto& item : c.items)
    item_html(out, item, c.status == State::published && item_overdue(item, today));
  out += "</ul><small>群众评价:满意 " + std::to_string(bc.ratings.satisfied) + " · 基本满意 " +
         std::to_string(bc.ratings.basically_satisfied) + " · 不满意 " +
         std::to_string(bc.ratings.dissatisfied) + "</small></article>";
}

}  // namespace

std::string board_first_paint(const Board& board) {
  std::string out(kStyle);
  out += "<main class=\"xf-fp\" data-testid=\"board-first-paint\"><h1>" +
         html_escape(board.unit.name) + "</h1>";
  if (board.campaign_id) out += "<small>" + html_escape(board.campaign_name) + "</small>";
  if (board.theme) out += "<h2>争创主题</h2><p><b>" + html_escape(board.theme->title) + "</b></p>";
  out += "<h2>公开承诺</h2>";
  if (board.commitments.empty()) out += "<p><small>暂无公开承诺</small></p>";
  for (const auto& bc : board.commitments) commitment_html(out, bc, board.today);
  out += "<p><small>页面加载中,稍后可评价… Loading…</small></p></main>";
  return out;
}

}  // namespace xf::commitments
