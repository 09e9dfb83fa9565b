#include "features/commitments/commitments_board_page.h"

#include <gtest/gtest.h>

namespace xf::commitments {
namespace {

Board board_with(std::string unit_name, std::string title) {
  Board board;
  board.unit = {1, "v01", std::move(unit_name), "rural"};
  board.today = "2026-11-25";
  BoardCommitment bc;
  bc.row.commitment.title = std::move(title);
  bc.row.commitment.status = State::published;
  bc.row.commitment.items = {{1, "走访独居老人", 120, "户次", "2026-11-20", 1, 1, 40, {}},
                             {2, "整治人居环境", 10, "次", "2026-12-30", 1, 1, 100, "2026-11-01"}};
  bc.ratings = {5, 2, 1};
  board.commitments.push_back(bc);
  return board;
}

TEST(BoardFirstPaint, ShowsEveryItemWithItsProgressAndFlagsTheLateOne) {
  std::string html = board_first_paint(board_with("槐楼村党支部", "网格化服务全覆盖"));
  EXPECT_NE(html.find("<h1>槐楼村党支部</h1>"), std::string::npos);
  EXPECT_NE(html.find("网格化服务全覆盖"), std::string::npos);
  EXPECT_NE(html.find("走访独居老人 <small>截止 2026-11-20 · 40%</small> <b class=\"late\">"),
            std::string::npos);
  EXPECT_NE(html.find("整治人居环境 <small>截止 2026-12-30 · 100%</small><div"), std::string::npos);
  EXPECT_NE(html.find("满意 5 · 基本满意 2 · 不满意 1"), std::string::npos);
}

TEST(BoardFirstPaint, EscapesEveryText) {
  std::string html = board_first_paint(board_with("<script>alert(1)</script>", "a\"b<i>'"));
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("a&quot;b&lt;i&gt;&#39;"), std::string::npos);
}

}  // namespace
}  // namespace xf::commitments
