#include "features/commitments/commitments_demo.h"

#include <array>
#include <random>
#include <string>
#include <vector>

#include "features/campaigns/campaigns_store.h"
#include "features/commitments/commitments_store.h"
#include "features/organizations/organizations_service.h"
#include "features/organizations/organizations_store.h"
#include "platform/audit/write.h"
#include "platform/calendar/calendar.h"
#include "platform/core/crypto.h"

namespace xf::commitments {
namespace {

constexpr uint64_t kDemoSeed = 20261125;
constexpr int64_t kDay = 24LL * 3600 * 1000;
constexpr int kMembersPerBranch = 2;

struct ItemTemplate {
  const char* text;
  double target;
  const char* unit;
};
struct Template {
  const char* field;
  const char* title;
  std::array<ItemTemplate, 3> items;
};

// What a branch of each field commonly pledges (承诺事项), with targets.
const std::array<Template, 7> kUnitTemplates = {{
    {"rural",
     "带领群众发展特色产业",
     {{{"新建高标准农田", 200, "亩"}, {"帮助困难户增收", 15, "户"}, {"整治村容村貌", 3, "处"}}}},
    {"community",
     "网格化服务全覆盖",
     {{{"走访独居老人", 120, "户次"}, {"化解邻里纠纷", 20, "件"}, {"组织志愿服务活动", 12, "次"}}}},
    {"agency",
     "提升办事效率,建设服务型机关",
     {{{"压缩审批时限", 30, "%"}, {"下基层解决实际问题", 24, "件"}, {"公开办事流程", 15, "项"}}}},
    {"enterprise",
     "党员攻坚促发展",
     {{{"完成技术革新项目", 5, "项"}, {"帮扶困难职工", 10, "人"}, {"开展安全生产检查", 12, "次"}}}},
    {"school",
     "立德树人,办人民满意的学校",
     {{{"党员教师结对帮扶学困生", 40, "人"}, {"开设示范课", 16, "节"}, {"家访", 60, "户次"}}}},
    {"public_institution",
     "便民就医,改善服务",
     {{{"义诊进村入社区", 12, "次"}, {"缩短平均候诊时间", 10, "分钟"}, {"开展健康讲座", 8, "场"}}}},
    {"social_organization",
     "公益服务进社区",
     {{{"组织公益活动", 8, "次"}, {"提供政策咨询", 50, "人次"}, {"培训会员", 4, "场"}}}},
}};

const std::array<ItemTemplate, 4> kMemberItems = {{{"为群众办实事", 10, "件"},
                                                   {"参加志愿服务", 6, "次"},
                                                   {"联系服务群众", 8, "户"},
                                                   {"学习政策理论", 12, "次"}}};

const std::array<const char*, 6> kProgressTexts = {
    "按计划推进,已完成阶段任务", "召开专题会议部署落实",  "走访群众,收集意见建议",
    "联合村(居)委会共同推进",    "克服困难,进度好于预期", "整改群众反映的问题"};
const std::array<const char*, 4> kRatingComments = {"", "党员干部很用心,为群众办了实事",
                                                    "进度还可以再快一些", "服务态度好"};

class Demo {
 public:
  Demo(storage::Transaction& tx, int64_t now_ms, std::string today, std::string featured_code)
      : tx_(tx), now_(now_ms), today_(std::move(today)), featured_code_(std::move(featured_code)) {}

  Status load(const campaigns::Campaign& campaign, const organizations::Unit& county) {
    XF_TRY(auto units, organizations::store::subtree(tx_, county));
    XF_TRY(tasks_, campaigns::store::central_tasks(tx_, campaign));
    if (tasks_.empty())
      return Error::conflict({"演示活动没有中心工作", "The demo campaign has no central task"});
    for (const auto& unit : units) {
      if (unit.kind != organizations::UnitKind::branch) continue;
      XF_TRY(auto carriers, campaigns::store::carriers_for_field(tx_, campaign, unit.field));
      if (carriers.empty()) continue;
      XF_CHECK(add(campaign, unit, carriers, std::nullopt));
      organizations::store::MemberQuery q;
      // Two members' pledges per branch, a third in about one branch in three.
      q.limit = kMembersPerBranch + 1 + (pick(0, 2) == 0 ? 1 : 0);
      XF_TRY(auto members, organizations::store::list_members(tx_, unit, q));
      // The first member is the branch secretary, who signs the unit's pledge.
      for (size_t i = 1; i < members.items.size(); ++i)
        XF_CHECK(add(campaign, unit, carriers, members.items[i].member));
    }
    return {};
  }

  const CommitmentDemoSummary& summary() const { return summary_; }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(gen_); }
  Id next_id() { return static_cast<Id>(gen_() >> 1); }
  std::string day(int offset) const {
    return calendar::format_date(*calendar::parse_date(today_) + std::chrono::days(offset));
  }

  enum class Plan { draft, returned, submitted, on_track, overdue, under_review, closed };
  Plan plan_for(int roll) const {
    if (roll < 5) return Plan::draft;
    if (roll < 8) return Plan::returned;
    if (roll < 15) return Plan::submitted;
    if (roll < 45) return Plan::on_track;
    if (roll < 57) return Plan::overdue;
    if (roll < 72) return Plan::under_review;
    return Plan::closed;
  }

  Status add(const campaigns::Campaign& campaign, const organizations::Unit& unit,
             const std::vector<campaigns::Carrier>& carriers,
             const std::optional<organizations::Member>& member) {
    Plan plan = plan_for(pick(0, 99));
    Commitment c;
    c.id = next_id();
    c.shard_id = unit.shard_id;
    c.campaign_id = campaign.id;
    c.unit_id = unit.id;
    c.created_by = 0;
    c.created_at = now_ - pick(60, 90) * kDay;
    bool past_due = plan == Plan::overdue || plan == Plan::under_review || plan == Plan::closed;
    int due_offset = past_due ? -pick(3, 40) : pick(20, 150);
    if (member) {
      c.member_id = member->id;
      c.post = member->post;
      c.title = "立足" + (member->post.empty() ? std::string("岗位") : member->post) + "岗位作表率";
      for (int i = 0; i < 2; ++i) {
        const auto& t = kMemberItems[static_cast<size_t>(pick(0, 3))];
        c.items.push_back(item(i + 1, t, due_offset - i * 10, carriers));
      }
    } else {
      const Template* t = &kUnitTemplates[0];
      for (const auto& candidate : kUnitTemplates)
        if (unit.field == candidate.field) t = &candidate;
      c.title = t->title;
      for (int i = 0; i < 3; ++i)
        c.items.push_back(
            item(i + 1, t->items[static_cast<size_t>(i)], due_offset - i * 15, carriers));
    }
    c.due_on = last_due_on(c.items);
    XF_CHECK(store::insert_commitment(tx_, c));
    ++summary_.commitments;
    if (plan == Plan::draft || plan == Plan::returned) {
      if (plan == Plan::returned) {
        c.return_reason = "承诺事项不够具体,请补充可衡量的目标和完成时限";
        c.submitted_at = c.created_at + 2 * kDay;
      }
      ++summary_.drafts;
      return finish(c);
    }
    c.status = State::submitted;
    c.submitted_at = c.created_at + 3 * kDay;
    if (plan == Plan::submitted) {
      ++summary_.submitted;
      return finish(c);
    }
    c.status = State::published;
    c.version = 1;
    c.published_at = *c.submitted_at + 2 * kDay;
    c.vet_comment = "同意公开";
    XF_CHECK(
        store::insert_version(tx_, c, {1, c.title, "[]", "公开承诺", "demo", *c.published_at}));
    XF_CHECK(progress(c, unit, plan));
    if (plan == Plan::on_track && pick(0, 9) == 0) XF_CHECK(revise(c));
    XF_CHECK(ratings(c, plan == Plan::on_track ? pick(0, 3) : pick(2, 8)));
    if (plan == Plan::under_review || plan == Plan::closed) XF_CHECK(reviews(c, unit, plan));
    if (plan == Plan::closed) {
      ++summary_.closed;
    } else {
      ++summary_.published;
      if (overdue(c, today_)) ++summary_.overdue;
    }
    return finish(c);
  }

  Item item(int no, const ItemTemplate& t, int due_offset,
            const std::vector<campaigns::Carrier>& carriers) {
    Item i;
    i.no = no;
    i.text = t.text;
    i.target_value = t.target;
    i.target_unit = t.unit;
    i.due_on = day(due_offset);
    i.central_task_id =
        tasks_[static_cast<size_t>(pick(0, static_cast<int>(tasks_.size()) - 1))].id;
    i.carrier_id = carriers[static_cast<size_t>(pick(0, static_cast<int>(carriers.size()) - 1))].id;
    return i;
  }

  // 践诺: one to three updates per item; items of commitments under review
  // or closed mostly reach their target, overdue ones fall short.
  Status progress(Commitment& c, const organizations::Unit& unit, Plan plan) {
    for (auto& item : c.items) {
      int updates = pick(1, 3);
      double reached = 0;
      for (int u = 1; u <= updates; ++u) {
        bool last = u == updates;
        double share = static_cast<double>(u) / updates;
        if (last) {
          if (plan == Plan::overdue)
            share = pick(30, 90) / 100.0;
          else if (plan == Plan::on_track)
            share = pick(10, 95) / 100.0;
          else
            share = pick(0, 4) == 0 ? pick(50, 95) / 100.0 : 1.0;
        }
        reached = std::max(reached, std::round(item.target_value * share));
        int64_t at = *c.published_at + u * kDay * 7;
        std::string on = std::min(day(-static_cast<int>((now_ - at) / kDay)), today_);
        Progress p{next_id(),  c.shard_id,
                   c.id,       item.no,
                   on,         kProgressTexts[static_cast<size_t>(pick(0, 5))],
                   reached,    std::nullopt,
                   "支部书记", at,
                   {}};
        XF_CHECK(store::insert_progress(tx_, p));
        ++summary_.progress_updates;
        if (last) want_photo(unit, c, p);
        item.progress = item_progress(p, item);
        if (item.progress >= 100 && !item.completed_on)
          item.completed_on = std::min(p.on_date, item.due_on);
      }
      XF_CHECK(store::set_item_progress(tx_, c, item));
    }
    c.progress = commitment_progress(c.items);
    c.completed_on = completed_on(c.items);
    return {};
  }

  // Chosen without the seeded generator, so the rest of the demo stays as it was.
  void want_photo(const organizations::Unit& unit, const Commitment& c, const Progress& p) {
    if (unit.code != featured_code_) {
      if (++ordinary_items_ % 12 != 0 || ordinary_photos_ == kDemoPhotos) return;
      ++ordinary_photos_;
    }
    summary_.photos.push_back(
        {unit.code, c.shard_id, p.id, c.id, "践诺 · " + p.on_date + " · " + p.text});
  }

  Status revise(Commitment& c) {
    c.items.front().target_value += 5;
    c.version = 2;
    c.revised_at = *c.published_at + 10 * kDay;
    XF_CHECK(store::update_item_texts(tx_, c));
    return store::insert_version(tx_, c,
                                 {2, c.title, "[]", "根据群众意见提高目标", "demo", *c.revised_at});
  }

  Status ratings(const Commitment& c, int count) {
    for (int i = 0; i < count; ++i) {
      int roll = pick(0, 9);
      Rating r = roll < 6   ? Rating::satisfied
                 : roll < 9 ? Rating::basically_satisfied
                            : Rating::dissatisfied;
      std::string voter = "t:" + sha256_hex("demo-" + id_to_string(c.id) + "-" + std::to_string(i));
      XF_CHECK(store::insert_rating(tx_, c, next_id(), voter, r,
                                    kRatingComments[static_cast<size_t>(pick(0, 3))],
                                    *c.published_at + (i + 1) * kDay));
      ++summary_.ratings;
    }
    return {};
  }

  Grade grade_for(const Commitment& c) {
    if (c.progress >= 99.5) return pick(0, 5) == 0 ? Grade::partly_fulfilled : Grade::fulfilled;
    return c.progress >= 60 ? Grade::partly_fulfilled : Grade::not_fulfilled;
  }

  Status reviews(Commitment& c, const organizations::Unit& unit, Plan plan) {
    int64_t at = now_ - 2 * kDay;
    std::vector<Review> given = {
        {Source::self, 0, grade_for(c), "已按承诺推进,群众基本满意", "支部书记", at}};
    organizations::store::MemberQuery q;
    q.limit = 3;
    XF_TRY(auto peers, organizations::store::list_members(tx_, unit, q));
    for (const auto& peer : peers.items)
      if (peer.member.id != c.member_id.value_or(0))
        given.push_back({Source::peer, peer.member.id, grade_for(c), "", peer.member.name, at});
    if (plan == Plan::closed)
      given.push_back(
          {Source::superior, 0, grade_for(c), "承诺兑现情况良好,继续保持", "镇党委", at});
    for (const auto& r : given) {
      XF_CHECK(store::insert_review(tx_, c, r));
      ++summary_.reviews;
    }
    if (plan != Plan::closed) return {};
    XF_TRY(auto counts, store::rating_counts(tx_, c));
    auto outcome = compute_result(given, counts, Weights{});
    c.status = State::closed;
    c.result = outcome.result;
    c.result_score = outcome.score;
    c.closed_at = now_ - kDay;
    return {};
  }

  Status finish(Commitment& c) {
    c.updated_at =
        c.closed_at.value_or(c.revised_at.value_or(c.published_at.value_or(c.created_at)));
    return store::update_commitment(tx_, c);
  }

  storage::Transaction& tx_;
  int64_t now_;
  std::string today_;
  std::mt19937_64 gen_{kDemoSeed};
  std::vector<campaigns::CentralTask> tasks_;
  CommitmentDemoSummary summary_;
  std::string featured_code_;
  int ordinary_items_ = 0;
  size_t ordinary_photos_ = 0;
};

}  // namespace

Result<CommitmentDemoSummary> load_demo(storage::Database& db, const Clock& clock,
                                        std::string_view county_code, Id campaign_id,
                                        std::string_view featured_unit_code) {
  std::string today = calendar::format_date(std::chrono::floor<std::chrono::days>(clock.now()));
  return audit::write(db, clock, [&](audit::Change& change) -> Result<CommitmentDemoSummary> {
    XF_TRY(auto county, organizations::store::find_unit_by_code(change.tx, county_code));
    if (!county) return Error::not_found({"找不到演示县", "The demo county is missing"});
    XF_TRY(auto campaign, campaigns::store::find_campaign(change.tx, campaign_id));
    if (!campaign) return Error::not_found({"找不到演示活动", "The demo campaign is missing"});
    XF_TRY(auto existing,
           change.tx.query_one("SELECT COUNT(*) FROM commitments WHERE shard_id = $1 "
                               "AND campaign_id = $2",
                               {storage::p(campaign->shard_id), storage::p(campaign->id)}));
    if (existing && existing->int64(0) > 0)
      return Error::conflict({"演示承诺已经加载", "The demo commitments are already loaded"});
    Demo demo(change.tx, change.now_ms, today, std::string(featured_unit_code));
    XF_CHECK(demo.load(*campaign, *county));
    const auto& s = demo.summary();
    change.record(organizations::audit_entry(
        organizations::system_actor(), "demo.load", "campaign", id_to_string(campaign->id), *county,
        "commitments=" + std::to_string(s.commitments) + " ratings=" + std::to_string(s.ratings)));
    return s;
  });
}

}  // namespace xf::commitments
