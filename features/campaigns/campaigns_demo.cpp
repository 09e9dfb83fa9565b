#include "features/campaigns/campaigns_demo.h"

#include <array>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "features/campaigns/campaigns.h"
#include "features/campaigns/campaigns_store.h"
#include "features/organizations/organizations.h"
#include "features/organizations/organizations_service.h"
#include "features/organizations/organizations_store.h"
#include "platform/audit/write.h"

namespace xf::campaigns {

namespace {

using organizations::Unit;
constexpr uint64_t kDemoSeed = 20260702;
constexpr int64_t kDay = 24LL * 60 * 60 * 1000;

// Ids drawn from the demo's own seed, so the campaign is the same on every run.
class SeededRandom final : public Random {
 public:
  void fill(std::span<unsigned char> out) override {
    for (auto& b : out) b = static_cast<unsigned char>(gen_() & 0xFF);
  }
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(gen_); }

 private:
  std::mt19937_64 gen_{kDemoSeed};
};

struct TaskSeed {
  std::string_view title, description;
  double target;
  std::string_view unit;
};
const std::array<TaskSeed, 4> kTasks{{
    {"乡村振兴产业发展", "每个村培育一项特色产业,带动农户增收,壮大村集体经济。", 60, "个产业项目"},
    {"基层治理网格化", "城乡网格全覆盖,党员包网格,群众诉求一般事项三日内回应。", 100, "%网格覆盖"},
    {"为民服务办实事", "围绕就医、就学、养老、出行等群众急难愁盼,办成一批实事。", 500, "件实事"},
    {"优化营商环境", "机关窗口提速增效,企业诉求有人应、有回音。", 95, "%企业满意度"},
}};

// What a branch of each field chooses as its theme, and which central
// tasks it serves (indexes into kTasks).
struct FieldSeed {
  std::vector<std::string_view> themes;
  std::string_view reason;
  std::vector<int> tasks;
};
const std::map<std::string, FieldSeed, std::less<>> kFields{
    {"rural",
     {{"党建引领特色种植增收", "支部带富 合作社强村", "党员包户助振兴", "美丽庭院党员先行"},
      "本村以种植为主,青壮年外出务工多,集体经济薄弱。支部围绕县里乡村振兴的中心工作,"
      "选择发挥党员示范户和合作社的带动作用,群众看得见、摸得着。",
      {0, 2}}},
    {"community",
     {{"党员进网格 服务零距离", "红色物业 幸福小区", "一老一小 党员守护"},
      "社区老旧小区多,老年居民比例高,物业管理和养老服务是居民反映最集中的问题。"
      "支部把党员编入网格,结合基层治理网格化的中心工作确定主题。",
      {1, 2}}},
    {"agency",
     {{"窗口服务当先锋 群众办事不跑腿", "一次办好 党员示范岗", "机关党员下基层 解难题"},
      "本单位直接面向群众和企业办事,群众反映办事环节多、时间长。支部围绕优化营商环境"
      "和为民服务办实事确定主题,由党员带头改流程、提效率。",
      {2, 3}}},
    {"enterprise",
     {{"党员技术攻关 质量效益双提升", "安全生产党员先锋岗", "党建强 发展强"},
      "企业正处在转型升级期,技术难题和安全生产是生产经营的关键。支部把党员放在攻关和"
      "安全岗位上,党建工作与生产经营融合。",
      {0, 3}}},
    {"school",
     {{"党员教师示范课 立德树人当先锋", "师德师风党员表率", "结对帮扶学困生"},
      "学校教师队伍年轻教师多,家长关心教育质量和学困生帮扶。支部以党员示范课和结对帮扶"
      "为载体,服务为民服务办实事的中心工作。",
      {2}}},
    {"public_institution",
     {{"党员医护进村入户 健康服务零距离", "优化就诊流程 党员先锋岗", "医德医风示范岗"},
      "群众反映看病排队长、基层就医不便。支部围绕为民服务办实事,组织党员医护人员"
      "下乡义诊、优化流程。",
      {2}}},
    {"social_organization",
     {{"党员志愿服务 公益暖人心", "诚信经营 会员先行"},
      "协会会员分散,公益活动缺乏组织。支部以志愿服务为载体,参与基层治理和为民服务。",
      {1, 2}}},
};

struct CommentSeed {
  std::string_view body;
  Answer answer;
  std::string_view reason;
};
const std::array<CommentSeed, 6> kComments{{
    {"建议把活动时间安排在晚上或周末,上班的人也能参加。", Answer::adopted,
     "采纳。集中活动改在周六上午和工作日晚上各安排一次。"},
    {"方案里的目标能不能写具体一点,比如帮多少户、办几件事?", Answer::adopted,
     "采纳。已在方案中把每项任务的数量和完成时间写明。"},
    {"希望增加对独居老人的定期上门探访。", Answer::partly_adopted,
     "部分采纳。先对80岁以上独居老人每月探访一次,其余视人手逐步扩大。"},
    {"建议把资金全部用于修路。", Answer::not_adopted,
     "未采纳。道路硬化已列入县交通部门年度计划,本方案资金用于群众提出的其他急需事项。"},
    {"每个月公布一次进展,让大家知道办到哪一步了。", Answer::adopted,
     "采纳。每月初在公开栏和本页面公布上月进展。"},
    {"党员责任区的划分请贴在楼道里,方便找人。", Answer::adopted,
     "采纳。责任区划分和党员联系方式将张贴到各楼栋。"},
}};

const std::array<std::string_view, 8> kResidentNames{"", "",       "老张",     "李大姐",
                                                     "", "王师傅", "一位家长", ""};

std::string plan_body(const Unit& unit, std::string_view theme,
                      const std::vector<CentralTask>& tasks, const std::vector<int>& task_indexes) {
  std::string body = "## 一、指导思想\n\n围绕县委中心工作,以“" + std::string(theme) +
                     "”为争创主题,推动" + unit.name +
                     "创先争优活动取得实效。\n\n"
                     "## 二、目标任务\n\n";
  for (int i : task_indexes)
    body += "- **" + tasks[static_cast<size_t>(i)].title +
            "**:" + tasks[static_cast<size_t>(i)].description + "\n";
  body +=
      "\n## 三、主要措施\n\n1. 公开承诺:支部和每名党员结合岗位作出承诺,在公开栏公示。\n"
      "2. 设岗定责:设立党员先锋岗、划分党员责任区。\n"
      "3. 定期通报:每月公布进展,接受群众评议。\n\n"
      "## 四、时间安排\n\n- 动员部署:1月—2月\n- 组织实施:3月—10月\n- 总结评议:11月—12月\n";
  return body;
}

class DemoCampaign {
 public:
  DemoCampaign(storage::Transaction& tx, int64_t now_ms, std::string_view featured)
      : tx_(tx), now_(now_ms), featured_(featured) {}

  Result<CampaignDemoSummary> build(const Unit& county) {
    campaign_ = Campaign{random_.next_id(),
                         county.shard_id,
                         county.id,
                         "清河县2026年度创先争优活动",
                         "在全县基层党组织和党员中开展创先争优活动,围绕乡村振兴、基层治理、"
                         "为民服务和营商环境四项中心工作,以“五个好”“五带头”为目标,"
                         "让群众参与、群众评判。",
                         "2026-01-01",
                         "2026-12-31",
                         CampaignStatus::active,
                         now_ - 90 * kDay,
                         now_ - 90 * kDay};
    XF_CHECK(store::insert_campaign(tx_, campaign_));
    XF_CHECK(store::copy_defaults(tx_, campaign_, random_));
    for (const auto& seed : kTasks) {
      CentralTask t{random_.next_id(),
                    campaign_.shard_id,
                    campaign_.id,
                    std::string(seed.title),
                    std::string(seed.description),
                    seed.target,
                    std::string(seed.unit),
                    county.id,
                    campaign_.created_at,
                    campaign_.created_at};
      XF_CHECK(store::insert_central_task(tx_, t));
      tasks_.push_back(std::move(t));
    }
    XF_TRY(carriers_, store::carriers(tx_, campaign_, false));
    XF_TRY(auto units, organizations::store::subtree(tx_, county));
    for (const auto& unit : units) {
      bool branch = unit.kind == organizations::UnitKind::branch ||
                    unit.kind == organizations::UnitKind::general_branch;
      if (branch && kFields.count(unit.field)) XF_CHECK(take_part(unit));
    }
    summary_.campaign_id = campaign_.id;
    summary_.central_tasks = static_cast<int>(tasks_.size());
    return summary_;
  }

 private:
  Status take_part(const Unit& unit) {
    const FieldSeed& field = kFields.find(unit.field)->second;
    // About 55% approved, 15% submitted, 10% returned, 10% draft, 10% none;
    // the featured branch is approved, with a plan in consultation.
    bool featured = unit.code == featured_;
    int roll = featured ? 0 : random_.pick(0, 99);
    if (roll >= 90) return {};
    ThemeStatus status = roll < 55   ? ThemeStatus::approved
                         : roll < 70 ? ThemeStatus::submitted
                         : roll < 80 ? ThemeStatus::returned
                                     : ThemeStatus::draft;
    std::string_view title = field.themes[static_cast<size_t>(
        random_.pick(0, static_cast<int>(field.themes.size()) - 1))];
    Theme t;
    t.id = random_.next_id();
    t.shard_id = campaign_.shard_id;
    t.campaign_id = campaign_.id;
    t.unit_id = unit.id;
    t.title = std::string(title);
    t.reason = std::string(field.reason);
    t.status = status;
    for (int i : field.tasks) t.central_task_ids.push_back(tasks_[static_cast<size_t>(i)].id);
    for (const auto& c : carriers_)
      if (c.suits(unit.field) && t.carrier_ids.size() < 3 && random_.pick(0, 1) == 0)
        t.carrier_ids.push_back(c.id);
    if (t.carrier_ids.empty()) t.carrier_ids.push_back(carriers_.front().id);
    int64_t created = now_ - random_.pick(40, 80) * kDay;
    t.created_at = created;
    t.updated_at = created + 2 * kDay;
    if (status != ThemeStatus::draft) t.submitted_at = created + kDay;
    if (status == ThemeStatus::approved || status == ThemeStatus::returned) {
      t.reviewed_at = created + 2 * kDay;
      t.reviewer_name = "镇党委管理员";
      t.review_comment = status == ThemeStatus::approved
                             ? "主题紧扣中心工作,同意。"
                             : "主题偏大偏空,请结合本单位实际写明要解决的具体问题。";
    }
    XF_CHECK(store::insert_theme(tx_, t));
    ++summary_.themes;
    if (status == ThemeStatus::approved) {
      ++summary_.approved_themes;
      // Every third approved branch has a plan: adopted or in consultation.
      if (featured || summary_.approved_themes % 3 == 1)
        XF_CHECK(add_plan(unit, t, field, featured));
    }
    return {};
  }

  Status add_plan(const Unit& unit, const Theme& theme, const FieldSeed& field, bool featured) {
    bool adopted = !featured && summary_.plans % 2 == 1;
    Plan pl;
    pl.id = random_.next_id();
    pl.shard_id = campaign_.shard_id;
    pl.campaign_id = campaign_.id;
    pl.unit_id = unit.id;
    pl.title = unit.name + "创先争优活动实施方案";
    pl.body = plan_body(unit, theme.title, tasks_, field.tasks);
    pl.status = adopted ? PlanStatus::adopted : PlanStatus::consultation;
    pl.opens_at = adopted ? now_ - 35 * kDay : now_ - 3 * kDay;
    pl.closes_at = adopted ? now_ - 21 * kDay : now_ + 11 * kDay;
    if (adopted) pl.adopted_at = now_ - 20 * kDay;
    pl.created_at = *pl.opens_at - kDay;
    pl.updated_at = adopted ? *pl.adopted_at : *pl.opens_at;
    XF_CHECK(store::insert_plan(tx_, pl));
    ++summary_.plans;
    int count = random_.pick(2, 4);
    for (int i = 0; i < count; ++i) XF_CHECK(add_comment(pl, i, adopted, featured && i == 0));
    return {};
  }

  // Adopted plans have every comment answered; plans in consultation have
  // some answered and some waiting. The featured plan has a hidden one.
  Status add_comment(const Plan& pl, int index, bool adopted, bool hide) {
    const CommentSeed& seed = kComments[static_cast<size_t>(random_.pick(0, kComments.size() - 1))];
    Comment c;
    c.id = random_.next_id();
    c.shard_id = pl.shard_id;
    c.plan_id = pl.id;
    c.author_name = std::string(kResidentNames[static_cast<size_t>(random_.pick(0, 7))]);
    c.body = std::string(seed.body);
    c.created_at = *pl.opens_at + (index + 1) * kDay / 2;
    if (hide) c.body = "(广告)低价代办各类证件,加微信……";
    XF_CHECK(store::insert_comment(tx_, c));
    ++summary_.comments;
    if (hide) {
      c.hidden_reason = "广告信息,与方案无关";
      c.hidden_at = c.created_at + kDay / 4;
      c.hidden_by = "县委组织部管理员";
    } else if (adopted || index % 2 == 0) {
      c.answer = seed.answer;
      c.answer_reason = std::string(seed.reason);
      c.answered_at = c.created_at + kDay;
      c.answered_by = "支部书记";
    }
    if (c.hidden() || c.answer) XF_CHECK(store::update_comment(tx_, c));
    return {};
  }

  storage::Transaction& tx_;
  int64_t now_;
  std::string_view featured_;
  SeededRandom random_;
  Campaign campaign_;
  std::vector<CentralTask> tasks_;
  std::vector<Carrier> carriers_;
  CampaignDemoSummary summary_;
};

}  // namespace

Result<CampaignDemoSummary> load_demo(storage::Database& db, const Clock& clock,
                                      std::string_view county_code,
                                      std::string_view featured_branch_code) {
  auth::Actor actor = organizations::system_actor();
  return audit::write(db, clock, [&](audit::Change& change) -> Result<CampaignDemoSummary> {
    XF_TRY(auto county, organizations::store::find_unit_by_code(change.tx, county_code));
    if (!county) return Error::not_found({"找不到演示县", "The demo county is missing"});
    XF_TRY(auto existing, store::all_campaigns(change.tx));
    for (const auto& c : existing)
      if (c.owner_unit_id == county->id)
        return Error::conflict({"演示县已有活动", "The demo county already has a campaign"});
    DemoCampaign demo(change.tx, change.now_ms, featured_branch_code);
    XF_TRY(auto summary, demo.build(*county));
    change.record(organizations::audit_entry(
        actor, "demo.load", "campaign", id_to_string(summary.campaign_id), *county,
        "themes=" + std::to_string(summary.themes) + " plans=" + std::to_string(summary.plans)));
    return summary;
  });
}

}  // namespace xf::campaigns
