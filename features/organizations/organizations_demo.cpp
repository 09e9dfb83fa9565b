#include "features/organizations/organizations_demo.h"

#include <array>
#include <cstdio>
#include <random>
#include <set>
#include <vector>

#include "features/organizations/organizations.h"
#include "features/organizations/organizations_service.h"
#include "features/organizations/organizations_store.h"
#include "platform/audit/write.h"

namespace xf::organizations {

namespace {

// Everything below is drawn from this seed, so the county, its ids and its
// people are the same on every machine and every run.
constexpr uint64_t kDemoSeed = 20260701;

using Words = std::vector<std::string_view>;

const Words kSurnames{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
                      "胡", "朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢",
                      "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅"};
const Words kGivenChars{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
                        "杰", "娟", "涛", "明", "超", "霞", "平", "刚", "华", "文", "斌", "宇",
                        "浩", "凯", "婷", "雪", "慧", "红", "兵", "鹏", "辉", "玲", "梅", "琳",
                        "晨", "阳", "健", "峰", "波", "鑫", "欣", "颖", "国", "建", "志", "海",
                        "玉", "秀", "春", "桂", "英", "兰", "德", "成", "振", "庆", "利", "荣"};
const Words kPlaceHeads{"柳", "杨", "桃", "李", "杏", "槐", "石", "白", "黄", "青", "马",
                        "牛", "龙", "凤", "东", "西", "南", "北", "前", "后", "大", "小",
                        "高", "新", "王", "张", "刘", "赵", "孙", "周", "郭", "宋"};
const Words kPlaceTails{"庄", "屯", "营", "集", "沟", "洼", "寨",   "店",   "堡",   "坊",
                        "河", "湾", "岭", "坡", "桥", "园", "家庄", "家洼", "官庄", "楼"};
const Words kCommunityNames{"幸福",   "和平", "建设", "人民", "解放", "朝阳", "光明", "文化",
                            "育才",   "新华", "胜利", "团结", "振兴", "阳光", "锦绣", "康乐",
                            "清河湾", "滨河", "春晖", "丽景", "府前", "花园", "北关", "南关"};

const std::array<std::pair<std::string_view, Words>, 7> kPosts{{
    {"rural",
     {"村委会主任", "村委会委员", "网格员", "种植户", "养殖户", "合作社理事长", "返乡创业青年",
      "村医", "农技员", "村务监督委员"}},
    {"community",
     {"社区主任", "网格员", "楼栋长", "社区工作者", "志愿者", "退休职工", "物业经理",
      "个体工商户"}},
    {"agency",
     {"科员", "一级科员", "副科长", "科长", "办公室主任", "副局长", "四级主任科员", "驾驶员"}},
    {"school", {"教师", "班主任", "教研组长", "副校长", "德育主任", "后勤主任", "校医"}},
    {"public_institution",
     {"医生", "护士", "护士长", "主治医师", "副主任医师", "药剂师", "检验师", "科主任",
      "疾控专员"}},
    {"enterprise",
     {"车间主任", "技术员", "工程师", "质检员", "销售经理", "操作工", "班组长", "财务"}},
    {"social_organization", {"会长", "秘书长", "律师", "志愿者", "社工", "会员"}},
}};

struct Township {
  std::string_view slug;  // pinyin for the code
  std::string_view name;
  bool is_street;  // 街道 (urban: communities) or 镇 (villages)
};
const std::array<Township, 10> kTownships{{{"chengguan", "城关镇", false},
                                           {"dongcheng", "东城街道", true},
                                           {"xicheng", "西城街道", true},
                                           {"nanyuan", "南苑街道", true},
                                           {"hekou", "河口镇", false},
                                           {"liulin", "柳林镇", false},
                                           {"taoyuan", "桃园镇", false},
                                           {"shiqiao", "石桥镇", false},
                                           {"baima", "白马镇", false},
                                           {"longquan", "龙泉镇", false}}};

// A system committee under the county with branches of one field.
struct SystemCommittee {
  std::string_view slug, name, field;
  Words branches;
  int min_members, max_members;
};
const std::array<SystemCommittee, 5> kSystems{{
    {"jiguan",
     "中共清河县直属机关工作委员会",
     "agency",
     {"县委办公室", "县政府办公室", "县纪委监委机关", "县委组织部", "县委宣传部", "县财政局",
      "县发展和改革局", "县人力资源和社会保障局", "县自然资源局", "县住房和城乡建设局",
      "县农业农村局", "县市场监督管理局", "县民政局", "县交通运输局", "县水利局"},
     8,
     20},
    {"jiaoyu",
     "中共清河县教育系统委员会",
     "school",
     {"清河县第一中学", "清河县第二中学", "清河县实验中学", "清河县实验小学", "清河县城关小学",
      "清河县东城小学", "清河县职业技术学校", "河口镇中心学校", "柳林镇中心学校",
      "清河县第一幼儿园"},
     15,
     30},
    {"weijian",
     "中共清河县卫生健康系统委员会",
     "public_institution",
     {"清河县人民医院内科", "清河县人民医院外科", "清河县人民医院护理部", "清河县中医院",
      "清河县妇幼保健院", "清河县疾病预防控制中心", "城关镇卫生院", "河口镇卫生院"},
     15,
     30},
    {"feigong",
     "中共清河县非公有制经济组织委员会",
     "enterprise",
     {"清河纺织有限公司", "清河食品股份有限公司", "清河机械制造有限公司", "绿源农业科技有限公司",
      "清河建设集团有限公司", "清河物流有限公司", "华清电子有限公司", "清河酿造有限公司",
      "河口水泥有限公司", "清河新能源有限公司"},
     8,
     20},
    {"shehui",
     "中共清河县社会组织委员会",
     "social_organization",
     {"清河县个体劳动者协会", "清河县物流行业协会", "清河县律师行业", "清河县志愿者协会",
      "清河县慈善总会"},
     5,
     10},
}};

class DemoCounty {
 public:
  DemoCounty(int64_t now_ms) : now_ms_(now_ms) {}

  void build() {
    Unit county = add_unit("qinghe", "中共清河县委员会", UnitKind::committee, "agency", nullptr,
                           "清河县人民路1号");
    for (const auto& t : kTownships) build_township(county, t);
    for (const auto& s : kSystems) build_system(county, s);
  }

  std::vector<Unit> units;
  std::vector<Member> members;

 private:
  int64_t next_id() { return std::max<int64_t>(1, static_cast<int64_t>(gen_() >> 1)); }
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(gen_); }
  std::string_view pick(const Words& words) {
    return words[static_cast<size_t>(pick(0, static_cast<int>(words.size()) - 1))];
  }

  Unit add_unit(std::string code, std::string name, UnitKind kind, std::string_view field,
                const Unit* parent, std::string address) {
    UnitInput input{std::move(code),
                    std::move(name),
                    std::string(kind_name(kind)),
                    std::string(field),
                    "",
                    "",
                    std::move(address)};
    units.push_back(make_unit(next_id(), input, parent, now_ms_));
    return units.back();
  }

  void build_township(const Unit& county, const Township& t) {
    std::string code = "qh-" + std::string(t.slug);
    std::string name = t.is_street ? "中共清河县" + std::string(t.name) + "工作委员会"
                                   : "中共清河县" + std::string(t.name) + "委员会";
    Unit township = add_unit(code, name, UnitKind::committee, t.is_street ? "community" : "rural",
                             &county, "清河县" + std::string(t.name) + "人民政府院内");
    std::set<std::string> used;
    int branches = t.is_street ? 8 : 11;
    for (int i = 1; i <= branches; ++i) {
      char suffix[16];
      std::snprintf(suffix, sizeof suffix, "-%c%02d", t.is_street ? 's' : 'v', i);
      std::string place;
      do {
        place = t.is_street ? std::string(pick(kCommunityNames))
                            : std::string(pick(kPlaceHeads)) + std::string(pick(kPlaceTails));
      } while (!used.insert(place).second);
      std::string branch_name = t.is_street ? place + "社区党支部" : place + "村党支部";
      std::string address = t.is_street ? "清河县" + std::string(t.name) + place + "社区服务中心"
                                        : "清河县" + std::string(t.name) + place + "村村委会";
      std::string_view field = t.is_street ? "community" : "rural";
      add_branch(code + suffix, branch_name, field, township, address, t.is_street ? 12 : 15,
                 t.is_street ? 25 : 35);
    }
  }

  void build_system(const Unit& county, const SystemCommittee& s) {
    std::string code = "qh-" + std::string(s.slug);
    Unit committee = add_unit(code, std::string(s.name), UnitKind::committee, s.field, &county,
                              "清河县人民路" + std::to_string(pick(2, 200)) + "号");
    int i = 0;
    for (auto branch : s.branches) {
      char suffix[16];
      std::snprintf(suffix, sizeof suffix, "-%02d", ++i);
      add_branch(code + suffix, std::string(branch) + "党支部", s.field, committee,
                 "清河县" + std::string(pick(kCommunityNames)) + "路" +
                     std::to_string(pick(1, 300)) + "号",
                 s.min_members, s.max_members);
    }
  }

  void add_branch(std::string code, std::string name, std::string_view field, const Unit& parent,
                  std::string address, int min_members, int max_members) {
    add_unit(std::move(code), std::move(name), UnitKind::branch, field, &parent,
             std::move(address));
    size_t branch_at = units.size() - 1;
    int count = pick(min_members, max_members);
    for (int i = 0; i < count; ++i) {
      bool secretary = i == 0;
      Member m = make_member(next_id(), member_input(field, secretary), units[branch_at], now_ms_);
      if (secretary) {  // the branch's contact is its secretary
        units[branch_at].contact_name = m.name;
        units[branch_at].contact_phone = m.phone.value_or("");
      }
      members.push_back(std::move(m));
    }
  }

  const Words& posts_of(std::string_view field) {
    for (const auto& [f, posts] : kPosts)
      if (f == field) return posts;
    return kPosts[0].second;
  }

  MemberInput member_input(std::string_view field, bool secretary) {
    MemberInput in;
    in.name = std::string(pick(kSurnames)) + std::string(pick(kGivenChars));
    if (pick(0, 9) < 6) in.name += std::string(pick(kGivenChars));
    in.post = secretary ? "党支部书记" : std::string(pick(posts_of(field)));
    bool probationary = !secretary && pick(0, 99) < 8;
    in.status = probationary ? "probationary" : "full";
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", probationary ? 2025 : pick(1965, 2024),
                  pick(1, 12), pick(1, 28));
    in.joined_on = date;
    if (pick(0, 9) < 8) {
      static constexpr std::array<std::string_view, 6> kPrefixes{"138", "139", "151",
                                                                 "158", "186", "177"};
      char rest[16];
      std::snprintf(rest, sizeof rest, "%08d", pick(0, 99'999'999));
      in.phone = std::string(kPrefixes[static_cast<size_t>(pick(0, 5))]) + rest;
    }
    return in;
  }

  std::mt19937_64 gen_{kDemoSeed};
  int64_t now_ms_;
};

}  // namespace

Result<DemoSummary> load_demo(storage::Database& db, const Clock& clock) {
  auth::Actor actor = system_actor();
  return audit::write(db, clock, [&](audit::Change& change) -> Result<DemoSummary> {
    XF_TRY(bool exists, store::any_unit(change.tx));
    if (exists)
      return Error::conflict(
          {"数据库中已有单位,演示数据只能装入空库",
           "The database already has units; the demo loads only into an empty one"});
    DemoCounty county(change.now_ms);
    county.build();
    XF_CHECK(store::insert_units(change.tx, county.units));
    XF_CHECK(store::insert_members(change.tx, county.members));
    const Unit& root = county.units.front();
    DemoSummary summary{root.code, "qh-chengguan", "qh-chengguan-v01",
                        static_cast<int>(county.units.size()),
                        static_cast<int>(county.members.size())};
    change.record(audit_entry(
        actor, "demo.load", "unit", id_to_string(root.id), root,
        "units=" + std::to_string(summary.units) + " members=" + std::to_string(summary.members)));
    return summary;
  });
}

}  // namespace xf::organizations
