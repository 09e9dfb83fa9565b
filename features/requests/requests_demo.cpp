#include "features/requests/requests_demo.h"

#include <map>
#include <random>

#include "features/organizations/organizations_service.h"
#include "features/organizations/organizations_store.h"
#include "features/requests/requests_store.h"
#include "platform/audit/write.h"

namespace xf::requests {

namespace {

namespace org = organizations;

constexpr uint64_t kDemoSeed = 20261125;
constexpr int kProblems = 2000;
constexpr int64_t kHourMs = 60LL * 60 * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;
constexpr int64_t kSixMonthsMs = 182 * kDayMs;

// What residents write, by the category's Chinese name.
const std::map<std::string, std::vector<std::string>>& descriptions() {
  static const std::map<std::string, std::vector<std::string>> texts = {
      {"道路照明", {"村口到小学的路灯坏了三盏,晚上孩子放学很黑。", "主干道路灯白天亮着晚上不亮。"}},
      {"环境卫生", {"垃圾站满了好几天没人清运,气味很大。", "河边有人倾倒建筑垃圾。"}},
      {"邻里纠纷", {"楼上装修噪音从早到晚,协商未果,希望调解。", "两家为宅基地边界争执多年。"}},
      {"就业帮扶",
       {"家里两个劳动力失业,希望介绍附近的工作。", "想参加电工培训,不知道去哪里报名。"}},
      {"养老服务", {"独居老人行动不便,希望安排上门助餐。", "村里的老年活动室长期锁门。"}},
      {"道路交通", {"村道塌了一个大坑,电动车已经摔倒两次。", "桥面护栏断了,很危险。"}},
      {"饮水安全", {"自来水最近发黄,烧开后有沉淀。", "一到夏天就停水,希望解决水压问题。"}},
      {"农业生产", {"灌溉渠堵塞,田里浇不上水。", "希望提供果树病虫害防治指导。"}},
      {"物业管理", {"电梯经常停运,老人上下楼困难。", "小区门禁坏了一个月没人修。"}},
      {"停车秩序", {"消防通道长期被车辆占用。", "小区门口乱停车,救护车进不来。"}},
  };
  return texts;
}

struct DemoUnit {
  org::Unit unit;
  std::vector<Id> members;
  std::vector<Category> categories;
};

// A problem's path through its life, step by step, stopping at "now".
struct DemoStep {
  int64_t at;
  std::string kind;
  State state;
  std::string author;
  std::string body;
};

const std::string kReferredReason = "属于供电公司职责,已转交并告知反映人";
const std::string kDuplicateReason = "与此前反映的问题相同,合并办理";
const std::string kUnsolvableReason = "涉及规划调整,目前条件不具备,已向上级反映";
const std::string kResolution = "已安排人员处理完毕。";

class DemoProblems {
 public:
  DemoProblems(storage::Transaction& tx, WorkingDays& days, int64_t now_ms)
      : tx_(tx), days_(days), now_(now_ms) {}

  Status build(const std::vector<DemoUnit>& units) {
    for (int i = 0; i < kProblems; ++i) {
      const DemoUnit& at = units[pick(units.size())];
      XF_CHECK(one(at, at.categories[pick(at.categories.size())]));
    }
    return {};
  }
  int count() const { return count_; }

 private:
  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(gen_); }
  double chance() { return std::uniform_real_distribution<double>(0, 1)(gen_); }
  int64_t between(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(gen_);
  }
  Id next_id() { return static_cast<Id>((gen_() >> 1) | 1); }

  std::string description_of(const Category& c) {
    auto it = descriptions().find(c.name_zh);
    if (it == descriptions().end()) return "关于“" + c.name_zh + "”的问题,请尽快处理。";
    return it->second[pick(it->second.size())];
  }

  // Records the step when it has happened by now; false when it lies ahead.
  bool happen(Problem& p, std::vector<DemoStep>& steps, DemoStep step) {
    if (step.at > now_) return false;
    p.state = step.state;
    p.updated_at = step.at;
    steps.push_back(std::move(step));
    return true;
  }

  Status one(const DemoUnit& at, const Category& c) {
    Problem p;
    p.id = next_id();
    p.shard_id = at.unit.shard_id;
    p.category = c.code;
    p.description = description_of(c);
    p.reported_unit_id = p.unit_id = at.unit.id;
    p.source = "demo";
    if (chance() < 0.3) p.contact_phone = "1380000" + std::to_string(between(1000, 9999));
    p.submitted_at = now_ - between(kHourMs, kSixMonthsMs);
    p.updated_at = p.submitted_at;
    XF_TRY(p.respond_due_at, days_.add_working_days(tx_, p.submitted_at, c.respond_days));
    XF_TRY(p.resolve_due_at, days_.add_working_days(tx_, p.submitted_at, c.resolve_days));
    std::vector<DemoStep> steps = {{p.submitted_at, "submit", State::submitted, "群众", ""}};
    if (chance() >= 0.03 && !at.members.empty()) work(p, steps, at);  // a few are never accepted
    if (!is_open(p.state) && !counts_as_fixed(p.state)) p.close_reason = steps.back().body;
    if (p.state != State::resolved && !is_open(p.state)) p.closed_at = p.updated_at;
    XF_CHECK(store::insert_problem(tx_, p));
    for (const auto& s : steps)
      XF_CHECK(store::insert_event(
          tx_, {next_id(), p.shard_id, p.id, s.at, s.kind, s.state, s.author, s.body}));
    ++count_;
    return {};
  }

  void work(Problem& p, std::vector<DemoStep>& steps, const DemoUnit& at) {
    const std::string& unit = at.unit.name;
    int64_t accepted = p.submitted_at + between(2 * kHourMs, 4 * kDayMs);
    if (!happen(p, steps, {accepted, "accept", State::accepted, unit, ""})) return;
    p.accepted_at = accepted;
    p.assigned_member_id = at.members[pick(at.members.size())];
    double outcome = chance();
    if (outcome < 0.05) {
      happen(p, steps,
             {accepted + between(kHourMs, 3 * kDayMs), "close_referred", State::referred_elsewhere,
              unit, kReferredReason});
    } else if (outcome < 0.09) {
      happen(p, steps,
             {accepted + between(kHourMs, 2 * kDayMs), "close_duplicate", State::duplicate, unit,
              kDuplicateReason});
    } else if (outcome < 0.14) {
      happen(p, steps,
             {accepted + between(kDayMs, 10 * kDayMs), "close_unsolvable", State::cannot_solve,
              unit, kUnsolvableReason});
    } else if (happen(
                   p, steps,
                   {accepted + between(kHourMs, kDayMs), "start", State::in_progress, unit, ""})) {
      int64_t resolved = p.updated_at + between(kDayMs, 25 * kDayMs);
      if (!happen(p, steps, {resolved, "resolve", State::resolved, unit, kResolution})) return;
      p.resolved_at = resolved;
      p.resolution = kResolution;
      p.confirm_due_at = resolved + 7 * kDayMs;
      answer(p, steps);
    }
  }

  // The reporter's answer to a resolution: mostly a grade, some reopen,
  // some never answer.
  void answer(Problem& p, std::vector<DemoStep>& steps) {
    double answer = chance();
    int64_t at = *p.resolved_at + between(6 * kHourMs, 6 * kDayMs);
    if (answer < 0.72) {
      double g = chance();
      Grade grade = g < 0.62  ? Grade::satisfied
                    : g < 0.9 ? Grade::basically_satisfied
                              : Grade::dissatisfied;
      if (happen(p, steps,
                 {at, "confirm", State::confirmed, "反映人", std::string(grade_name_zh(grade))}))
        p.grade = grade;
    } else if (answer < 0.8) {
      if (happen(p, steps, {at, "reopen", State::in_progress, "反映人", "问题没有彻底解决"})) {
        p.reopen_count = 1;
        p.resolved_at.reset();
        p.confirm_due_at.reset();
      }
    } else {
      happen(
          p, steps,
          {*p.confirm_due_at, "expire", State::closed_unconfirmed, "系统", "反映人未在期限内确认"});
    }
  }

  storage::Transaction& tx_;
  WorkingDays& days_;
  int64_t now_;
  std::mt19937_64 gen_{kDemoSeed};
  int count_ = 0;
};

}  // namespace

Result<DemoRequests> load_demo(storage::Database& db, const Clock& clock, WorkingDays& working_days,
                               std::string_view county_code) {
  return audit::write(db, clock, [&](audit::Change& change) -> Result<DemoRequests> {
    auto& tx = change.tx;
    XF_TRY(auto county, org::store::find_unit_by_code(tx, county_code));
    if (!county) return Error::not_found({"找不到演示县", "No such demo county"});
    store::ListFilter any;
    any.shard_id = county->shard_id;
    XF_TRY(int64_t existing, store::count(tx, any));
    if (existing > 0)
      return Error::conflict({"该县已有问题数据", "The county already has problems"});

    XF_TRY(auto units, org::store::subtree(tx, *county));
    org::store::MemberQuery everyone;
    everyone.subtree = true;
    everyone.limit = 1000000;
    XF_TRY(auto members, org::store::list_members(tx, *county, everyone));
    XF_TRY(auto categories, store::categories(tx, std::nullopt, true));
    std::vector<DemoUnit> demo_units;
    for (auto& u : units) {
      DemoUnit d{u, {}, {}};
      for (const auto& m : members.items)
        if (m.member.unit_id == u.id) d.members.push_back(m.member.id);
      for (const auto& c : categories)
        if (c.field == u.field) d.categories.push_back(c);
      // Problems are reported where people live and work: the branches.
      if (u.kind == org::UnitKind::branch && !d.categories.empty())
        demo_units.push_back(std::move(d));
    }
    if (demo_units.empty()) return Error::internal("the demo county has no branches");
    DemoProblems problems(tx, working_days, change.now_ms);
    XF_CHECK(problems.build(demo_units));
    DemoRequests out{problems.count()};
    change.record(org::audit_entry(org::system_actor(), "demo.load_requests", "unit",
                                   id_to_string(county->id), *county,
                                   "problems=" + std::to_string(out.problems)));
    return out;
  });
}

}  // namespace xf::requests
