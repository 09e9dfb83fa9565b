#include "features/evaluations/evaluations_service.h"

#include <algorithm>
#include <functional>
#include <set>

#include "features/campaigns/campaigns_store.h"
#include "features/organizations/organizations_service.h"
#include "features/organizations/organizations_store.h"
#include "platform/audit/write.h"

namespace xf::evaluations {
namespace {

using organizations::Unit;
using storage::Transaction;

constexpr int64_t kMaxCodesPerBatch = 1'000'000;
constexpr int64_t kMaxMembersPerBranch = 100'000;
constexpr int kRecomputePage = 1000;

std::vector<Id> ancestry(const Unit& u) {
  return organizations::ancestry_from_path(u.path);
}

bool inside(std::string_view path, std::string_view root_path) {
  return path.starts_with(root_path);
}

Error round_not_found() {
  return Error::not_found({"找不到该评议", "No such evaluation round"});
}

Error unit_not_found() {
  return Error::not_found({"找不到该单位", "No such unit"});
}

// One message for a code that was never issued, is malformed, or belongs to
// another round: it says nothing about any other code.
Error wrong_code() {
  return Error::invalid("code", {"选票码无效,请核对后重新输入",
                                 "This ballot code is not valid; check it and type it again"});
}

Error used_code() {
  return Error::conflict({"该选票码已经投过票,每个选票码只能投一次",
                          "This ballot code has been used; each code votes once"});
}

Error already_voted() {
  return Error::conflict({"您已参加过本轮评议", "You have already voted in this round"});
}

Error round_not_accepting() {
  return Error::conflict({"本轮评议不在投票时间内(尚未开始或已经结束)",
                          "This evaluation is not taking ballots (not yet open, or closed)"});
}

Result<Unit> unit_by_code(Transaction& tx, std::string_view code) {
  XF_TRY(auto unit, organizations::store::find_unit_by_code(tx, code));
  if (!unit) return unit_not_found();
  return std::move(*unit);
}

Result<Unit> unit_by_id(Transaction& tx, Id id) {
  XF_TRY(auto unit, organizations::store::find_unit_by_id(tx, id));
  if (!unit) return unit_not_found();
  return std::move(*unit);
}

Result<Round> load_round(Transaction& tx, Id id) {
  XF_TRY(auto round, store::find_round(tx, id));
  if (!round) return round_not_found();
  return std::move(*round);
}

Result<Round> lock(Transaction& tx, Id id) {
  XF_TRY(auto round, load_round(tx, id));
  XF_TRY(auto locked, store::lock_round(tx, round));
  if (!locked) return round_not_found();
  return std::move(*locked);
}

audit::Entry entry(const auth::Actor& actor, std::string action, const Round& round,
                   const Unit& unit, std::string summary) {
  return organizations::audit_entry(actor, std::move(action), "evaluation_round",
                                    id_to_string(round.id), unit, std::move(summary));
}

// Admin changes need manage_evaluations on the round's owner unit; someone
// outside that subtree learns nothing (not_found).
Result<Unit> authorized_owner(Transaction& tx, const auth::Actor& actor, const Round& round,
                              auth::Action action) {
  XF_TRY(auto owner, unit_by_id(tx, round.owner_unit_id));
  auto allowed = auth::authorize(actor, action, ancestry(owner));
  if (!allowed.ok())
    return allowed.error().code == ErrorCode::not_found ? round_not_found() : allowed.error();
  return owner;
}

// The units and targets a round's input names, all inside the owner's
// subtree and of the round's field when it has one.
struct Resolved {
  std::vector<BallotUnit> units;
  std::vector<Target> targets;
};

Result<std::vector<Unit>> chosen_units(Transaction& tx, const Unit& owner, const RoundInput& in,
                                       std::string_view field) {
  std::vector<Unit> chosen;
  if (!in.subtree.empty()) {
    XF_TRY(auto root, organizations::store::find_unit_by_code(tx, in.subtree));
    if (!root || !inside(root->path, owner.path))
      return Error::invalid("subtree",
                            {"该单位不在本级管辖范围内", "The unit is not in your subtree"});
    XF_TRY(auto all, organizations::store::subtree(tx, *root));
    for (auto& u : all)
      if (u.kind == organizations::UnitKind::branch &&
          u.status == organizations::UnitStatus::active && (field.empty() || u.field == field))
        chosen.push_back(std::move(u));
    return chosen;
  }
  std::vector<FieldError> errors;
  for (size_t i = 0; i < in.target_units.size(); ++i) {
    std::string at = "target_units[" + std::to_string(i) + "]";
    XF_TRY(auto unit, organizations::store::find_unit_by_code(tx, in.target_units[i]));
    if (!unit || !inside(unit->path, owner.path))
      errors.push_back({at, {"该单位不在本级管辖范围内", "The unit is not in your subtree"}, {}});
    else if (!field.empty() && unit->field != field)
      errors.push_back(
          {at, {"该单位不属于本轮评议的领域", "The unit is not of the round's field"}, {}});
    else if (std::any_of(chosen.begin(), chosen.end(),
                         [&](const Unit& u) { return u.id == unit->id; }))
      errors.push_back({at, {"单位重复", "Listed twice"}, {}});
    else
      chosen.push_back(std::move(*unit));
  }
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));
  return chosen;
}

Result<Resolved> resolve_targets(Transaction& tx, const Unit& owner, const RoundInput& in,
                                 RoundKind kind) {
  XF_TRY(auto chosen, chosen_units(tx, owner, in, in.field));
  if (chosen.empty())
    return Error::invalid(in.subtree.empty() ? "target_units" : "subtree",
                          {"没有符合条件的被评单位", "No unit matches"});
  Resolved out;
  for (const auto& u : chosen) {
    out.units.push_back({u.id, u.code, u.name, u.field, u.path});
    if (kind == RoundKind::unit) {
      out.targets.push_back({u.id, u.id, u.name, true});
      continue;
    }
    XF_TRY(auto page,
           organizations::store::list_members(tx, u, {"", false, 0, kMaxMembersPerBranch}));
    for (const auto& row : page.items)
      out.targets.push_back({row.member.id, u.id, row.member.name,
                             row.member.status == organizations::MemberStatus::full});
  }
  return out;
}

// Applies a validated input to the round, criteria read from the campaign.
Result<Resolved> configure(Transaction& tx, Round& round, const Unit& owner, const RoundInput& in) {
  auto errors = validate_round_input(in);
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));
  XF_TRY(auto campaign, campaigns::store::find_campaign(tx, in.campaign_id));
  if (!campaign || !campaigns::covers(*campaign, ancestry(owner)))
    return Error::invalid("campaign_id",
                          {"该活动不包括本单位", "The campaign does not cover this unit"});
  if (!in.field.empty()) {
    XF_TRY(auto field, organizations::store::find_field(tx, in.field));
    if (!field) return Error::invalid("field", {"没有这个领域", "No such field"});
  }
  round.campaign_id = campaign->id;
  round.kind = *parse_kind(in.kind);
  round.name = in.name;
  round.field = in.field;
  round.grades = in.grades.empty() ? default_scale(round.kind) : in.grades;
  round.classes = in.classes;
  round.cap = in.cap.value_or(Cap{});
  round.opens_at = in.opens_at;
  round.closes_at = in.closes_at;
  XF_TRY(auto set, campaigns::store::criteria_for(tx, *campaign,
                                                  round.kind == RoundKind::unit
                                                      ? campaigns::CriteriaKind::unit
                                                      : campaigns::CriteriaKind::member,
                                                  round.field));
  if (set.items.empty())
    return Error::invalid("campaign_id",
                          {"该活动没有测评标准", "The campaign has no criteria for this kind"});
  round.criteria.clear();
  for (const auto& c : set.items) round.criteria.push_back({c.name, c.name_en});
  return resolve_targets(tx, owner, in, round.kind);
}

Result<RoundView> view_of(Transaction& tx, const Round& round) {
  RoundView view{round, "", "", "", {}, 0, {}};
  XF_TRY(auto owner, unit_by_id(tx, round.owner_unit_id));
  view.owner_code = owner.code;
  view.owner_name = owner.name;
  XF_TRY(auto campaign, campaigns::store::find_campaign(tx, round.campaign_id));
  if (campaign) view.campaign_name = campaign->name;
  XF_TRY(view.units, store::units(tx, round));
  XF_TRY(auto targets, store::targets(tx, round, std::nullopt));
  view.targets =
      std::count_if(targets.begin(), targets.end(), [](const Target& t) { return t.graded; });
  XF_TRY(view.batches, store::batches(tx, round));
  return view;
}

// What a cast ballot's answer carries, code or member ballot alike.
Receipt receipt_for(const Ballot& ballot, std::string salt) {
  Receipt r{ballot.round_id, "", std::move(salt), canonical_json(ballot)};
  r.receipt = receipt_of(ballot.unit_id, r.canonical, r.salt);
  return r;
}

// The ballot a voter's grades make: every graded target of the unit, one
// known grade per criterion; nothing else.
Result<Ballot> build_ballot(const Round& round, Id unit_id, std::string class_code,
                            std::span<const Target> targets,
                            const std::map<Id, std::vector<std::string>>& grades) {
  Ballot ballot{round.id, unit_id, std::move(class_code), {}};
  std::vector<FieldError> errors;
  for (const auto& t : targets) {
    if (!t.graded) continue;
    std::string at = "grades." + id_to_string(t.id);
    auto it = grades.find(t.id);
    if (it == grades.end() || it->second.size() != round.criteria.size()) {
      errors.push_back({at,
                        {"请按每项测评内容为“" + t.name + "”评定等次",
                         "Grade " + t.name + " on every criterion"},
                        {}});
      continue;
    }
    std::vector<int> marks;
    for (const auto& code : it->second) {
      auto index = round.grade_index(code);
      if (!index) {
        errors.push_back({at, {"等次无效", "Not a grade of this round"}, {}});
        break;
      }
      marks.push_back(*index);
    }
    ballot.grades[t.id] = std::move(marks);
  }
  for (const auto& [id, marks] : grades)
    if (!ballot.grades.contains(id) &&
        std::none_of(errors.begin(), errors.end(),
                     [&](const FieldError& e) { return e.field == "grades." + id_to_string(id); }))
      errors.push_back({"grades." + id_to_string(id),
                        {"不是本选票的被评对象", "Not a target on this ballot"},
                        {}});
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));
  return ballot;
}

// A batch's increments, one upsert per touched row at the end.
struct Increments {
  std::map<Id, Round> rounds;
  std::map<Id, TallyCounts> tallies;
  std::map<Id, std::map<store::TurnoutKey, int64_t>> cast;

  void add(const Round& round, const Ballot& ballot) {
    rounds.try_emplace(round.id, round);
    count_ballot(ballot, tallies[round.id]);
    ++cast[round.id][{ballot.unit_id, ballot.class_code}];
  }
  Status flush(Transaction& tx) const {
    for (const auto& [id, counts] : tallies)
      XF_CHECK(store::add_tallies(tx, rounds.at(id), counts));
    for (const auto& [id, units] : cast) {
      std::vector<store::Turnout> rows;
      for (const auto& [key, n] : units) rows.push_back({key.unit_id, key.class_code, 0, n});
      XF_CHECK(store::add_turnout(tx, rounds.at(id), rows));
    }
    return {};
  }
};

// Casting a batch of code ballots in one transaction, a step for all of
// them at a time, so the number of statements does not grow with the batch:
// find the codes, load rounds and targets, build the ballots, insert them
// (a used code's insert does nothing), count the written ones. A refusal of
// one ballot (wrong, used or expired code, bad grades) writes nothing of it
// and leaves the others alone.
class BatchCast {
 public:
  BatchCast(std::span<const CastRequest> requests, WrongCodeThrottle& throttle, Random& random,
            int64_t now_ms)
      : throttle_(throttle), random_(random), now_ms_(now_ms) {
    for (const auto& request : requests) screen(request);
  }

  Status cast(Transaction& tx, Increments& increments) {
    XF_CHECK(find_codes(tx));
    XF_CHECK(load_targets(tx));
    build_ballots();
    return insert(tx, increments);
  }

  // One per request, in order. When the transaction failed, every ballot
  // that was going to be cast gets its error instead.
  std::vector<Result<Receipt>> outcomes(const Status& committed) {
    std::vector<Result<Receipt>> out;
    out.reserve(ballots_.size());
    for (auto& b : ballots_) {
      bool lost = !committed.ok() && (!b.outcome || b.outcome->ok());
      out.push_back(lost ? Result<Receipt>(committed.error()) : std::move(*b.outcome));
    }
    return out;
  }

 private:
  struct Casting {
    const CastRequest* request = nullptr;
    std::string hash;                        // of the normalised code
    std::optional<Result<Receipt>> outcome;  // set once decided
    store::CodeBatch batch;
    Ballot ballot;
    Receipt receipt;
  };

  void screen(const CastRequest& request) {
    Casting& c = ballots_.emplace_back();
    c.request = &request;
    if (auto throttled = throttle_.check(request.client, now_ms_); !throttled.ok()) {
      c.outcome = throttled.error();
      return;
    }
    std::string normal = normalise_code(request.code);
    if (!well_formed(normal)) return refuse_wrong_code(c);
    c.hash = code_hash(normal);
  }

  void refuse_wrong_code(Casting& c) {
    throttle_.record(c.request->client, now_ms_);
    c.outcome = wrong_code();
  }

  template <typename Step>
  void for_undecided(Step step) {
    for (auto& c : ballots_)
      if (!c.outcome) step(c);
  }

  Status find_codes(Transaction& tx) {
    std::vector<std::string> hashes;
    for_undecided([&](Casting& c) { hashes.push_back(c.hash); });
    XF_TRY(auto found, store::batches_of_codes(tx, hashes));
    std::set<std::string> seen;
    Status status;
    for_undecided([&](Casting& c) {
      auto it = found.find(c.hash);
      if (it == found.end()) return refuse_wrong_code(c);
      // The same code twice in one batch: the second is a used code.
      if (!seen.insert(c.hash).second) return void(c.outcome = used_code());
      c.batch = it->second;
      if (!rounds_.contains(c.batch.round_id) && status.ok()) {
        auto round = load_round(tx, c.batch.round_id);
        if (!round.ok()) return void(status = round.error());
        rounds_.emplace(round->id, std::move(*round));
      }
    });
    return status;
  }

  Status load_targets(Transaction& tx) {
    std::map<Id, std::set<Id>> units;  // by round
    for_undecided([&](Casting& c) {
      if (!rounds_.at(c.batch.round_id).accepts_ballots(now_ms_))
        c.outcome = round_not_accepting();
      else
        units[c.batch.round_id].insert(c.batch.unit_id);
    });
    for (const auto& [round_id, ids] : units) {
      std::vector<Id> list(ids.begin(), ids.end());
      XF_TRY(targets_[round_id], store::targets_of_units(tx, rounds_.at(round_id), list));
    }
    return {};
  }

  void build_ballots() {
    for_undecided([&](Casting& c) {
      const Round& round = rounds_.at(c.batch.round_id);
      auto ballot = build_ballot(round, c.batch.unit_id, c.batch.class_code,
                                 targets_[round.id][c.batch.unit_id], c.request->grades);
      if (!ballot.ok()) return void(c.outcome = ballot.error());
      c.ballot = std::move(*ballot);
      c.receipt = receipt_for(c.ballot, random_.hex_token(16));
    });
  }

  Status insert(Transaction& tx, Increments& increments) {
    std::vector<store::StoredBallot> rows;
    for_undecided([&](Casting& c) {
      const Round& round = rounds_.at(c.batch.round_id);
      rows.push_back({round.shard_id, round.id, c.batch.unit_id, c.batch.class_code, c.hash,
                      c.receipt.receipt, c.receipt.canonical});
    });
    XF_TRY(auto written, store::insert_code_ballots(tx, rows));
    for_undecided([&](Casting& c) {
      if (!written.contains(c.hash)) return void(c.outcome = used_code());
      increments.add(rounds_.at(c.batch.round_id), c.ballot);
      c.outcome = c.receipt;
    });
    return {};
  }

  WrongCodeThrottle& throttle_;
  Random& random_;
  int64_t now_ms_;
  std::vector<Casting> ballots_;
  std::map<Id, Round> rounds_;
  std::map<Id, std::map<Id, std::vector<Target>>> targets_;  // round → unit → targets
};

// Admins of the owner's subtree, and admins of any unit inside it (each
// committee follows its own part of the round).
Result<bool> visible_to(Transaction& tx, const auth::Actor& actor, const Round& round) {
  auto scope = auth::admin_scope(actor);
  if (scope.all) return true;
  XF_TRY(auto owner, unit_by_id(tx, round.owner_unit_id));
  for (Id root : scope.roots) {
    XF_TRY(auto unit, organizations::store::find_unit_by_id(tx, root));
    if (unit && (inside(owner.path, unit->path) || inside(unit->path, owner.path))) return true;
  }
  return false;
}

// During a round the public sees participation only (rule 5(e) of PRODUCT.md).
bool grades_public(const Round& round) {
  return round.state == RoundState::closed || round.state == RoundState::published;
}

ClassVotes empty_votes(const Round& round) {
  ClassVotes votes;
  for (const auto& c : round.classes) votes[c.code].assign(round.grades.size(), 0);
  return votes;
}

void add_vote(const Round& round, ClassVotes& votes, const std::string& class_code, int grade,
              int64_t n) {
  auto& row = votes[class_code];
  row.resize(round.grades.size(), 0);
  if (grade >= 0 && static_cast<size_t>(grade) < row.size()) row[static_cast<size_t>(grade)] += n;
}

// The grade each target's ballots point to (the largest weighted share).
std::map<Id, std::optional<int>> vote_grades(const Round& round, const TallyCounts& counts) {
  std::map<Id, ClassVotes> by_target;
  for (const auto& [key, n] : counts) {
    auto [it, fresh] = by_target.try_emplace(key.target_id, empty_votes(round));
    add_vote(round, it->second, key.class_code, key.grade, n);
  }
  std::map<Id, std::optional<int>> out;
  for (const auto& [id, votes] : by_target) out[id] = weigh(round, votes).leading_grade;
  return out;
}

}  // namespace

// ---- Throttle ---------------------------------------------------------------

Status WrongCodeThrottle::check(const std::string& client, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto it = windows_.find(client);
  if (it == windows_.end() || now_ms - it->second.start_ms >= kWindowMs) return {};
  if (it->second.wrong < kMaxWrong) return {};
  int64_t wait_ms = it->second.start_ms + kWindowMs - now_ms;
  return Error::rate_limited(static_cast<int>((wait_ms + 999) / 1000));
}

void WrongCodeThrottle::record(const std::string& client, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  // Expired windows go when the map grows, so a scan of addresses cannot
  // grow it without bound.
  if (windows_.size() > 100'000)
    std::erase_if(windows_,
                  [&](const auto& kv) { return now_ms - kv.second.start_ms >= kWindowMs; });
  auto& w = windows_[client];
  if (now_ms - w.start_ms >= kWindowMs) w = {now_ms, 0};
  ++w.wrong;
}

// ---- Rounds -----------------------------------------------------------------

Result<RoundView> EvaluationsService::create_round(const auth::Actor& actor,
                                                   std::string_view unit_code,
                                                   const RoundInput& input) {
  return audit::write(db_, clock_, [&](audit::Change& ch) -> Result<RoundView> {
    XF_TRY(auto owner, unit_by_code(ch.tx, unit_code));
    XF_CHECK(auth::authorize(actor, auth::Action::manage_evaluations, ancestry(owner)));
    Round round;
    round.id = random_.next_id();
    round.shard_id = owner.shard_id;
    round.owner_unit_id = owner.id;
    round.created_at = round.updated_at = ch.now_ms;
    XF_TRY(auto resolved, configure(ch.tx, round, owner, input));
    XF_CHECK(store::insert_round(ch.tx, round));
    XF_CHECK(store::replace_targets(ch.tx, round, resolved.units, resolved.targets));
    ch.record(entry(actor, "evaluation.create", round, owner,
                    round.name + " (" + std::to_string(resolved.units.size()) + " units)"));
    return view_of(ch.tx, round);
  });
}

Result<RoundView> EvaluationsService::update_round(const auth::Actor& actor, Id id,
                                                   const RoundInput& input) {
  return audit::write(db_, clock_, [&](audit::Change& ch) -> Result<RoundView> {
    XF_TRY(auto round, lock(ch.tx, id));
    XF_TRY(auto owner, authorized_owner(ch.tx, actor, round, auth::Action::manage_evaluations));
    XF_CHECK(rules::can_configure(round));
    // Codes already printed name a unit and a class of this configuration.
    XF_TRY(auto batches, store::batches(ch.tx, round));
    if (!batches.empty())
      return Error::conflict({"已发放选票码,配置已冻结",
                              "Ballot codes have been issued: the configuration is frozen"});
    XF_TRY(auto resolved, configure(ch.tx, round, owner, input));
    round.updated_at = ch.now_ms;
    XF_CHECK(store::update_round(ch.tx, round));
    XF_CHECK(store::replace_targets(ch.tx, round, resolved.units, resolved.targets));
    ch.record(entry(actor, "evaluation.update", round, owner, round.name));
    return view_of(ch.tx, round);
  });
}

Result<RoundView> EvaluationsService::open_round(const auth::Actor& actor, Id id) {
  return audit::write(db_, clock_, [&](audit::Change& ch) -> Result<RoundView> {
    XF_TRY(auto round, lock(ch.tx, id));
    XF_TRY(auto owner, authorized_owner(ch.tx, actor, round, auth::Action::manage_evaluations));
    XF_TRY(auto units, store::units(ch.tx, round));
    XF_CHECK(rules::can_open(round, units.size(), ch.now_ms));
    // Members vote with their accounts: every member of a branch (the
    // probationary too) is entitled to one ballot.
    if (round.kind == RoundKind::member && round.find_class(kMemberClass)) {
      XF_TRY(auto targets, store::targets(ch.tx, round, std::nullopt));
      std::map<Id, int64_t> members;
      for (const auto& t : targets) ++members[t.unit_id];
      std::vector<store::Turnout> entitled;
      for (const auto& [unit_id, n] : members)
        entitled.push_back({unit_id, std::string(kMemberClass), n, 0});
      XF_CHECK(store::add_turnout(ch.tx, round, entitled));
    }
    round.state = RoundState::open;
    round.updated_at = ch.now_ms;
    XF_CHECK(store::update_round(ch.tx, round));
    ch.record(entry(actor, "evaluation.open", round, owner, round.name));
    return view_of(ch.tx, round);
  });
}

Result<RoundView> EvaluationsService::close_round(const auth::Actor& actor, Id id) {
  return audit::write(db_, clock_, [&](audit::Change& ch) -> Result<RoundView> {
    XF_TRY(auto round, lock(ch.tx, id));
    XF_TRY(auto owner, authorized_owner(ch.tx, actor, round, auth::Action::manage_evaluations));
    XF_CHECK(rules::can_close(round));
    round.state = RoundState::closed;
    round.updated_at = ch.now_ms;
    XF_CHECK(store::update_round(ch.tx, round));
    ch.record(entry(actor, "evaluation.close", round, owner, round.name));
    return view_of(ch.tx, round);
  });
}

Result<RoundView> EvaluationsService::publish_round(const auth::Actor& actor, Id id) {
  return audit::write(db_, clock_, [&](audit::Change& ch) -> Result<RoundView> {
    XF_TRY(auto round, lock(ch.tx, id));
    XF_TRY(auto owner, authorized_owner(ch.tx, actor, round, auth::Action::manage_evaluations));
    XF_CHECK(rules::can_publish(round));
    if (round.kind == RoundKind::member) {
      XF_TRY(auto targets, store::targets(ch.tx, round, std::nullopt));
      XF_TRY(auto finals, store::final_grades(ch.tx, round));
      auto graded =
          std::count_if(targets.begin(), targets.end(), [](const Target& t) { return t.graded; });
      if (static_cast<size_t>(graded) != finals.size())
        return Error::conflict({"还有 " +
                                    std::to_string(graded - static_cast<long>(finals.size())) +
                                    " 名正式党员未由支部确定等次",
                                std::to_string(graded - static_cast<long>(finals.size())) +
                                    " full members have no final grade from their branch yet"});
    }
    round.state = RoundState::published;
    round.updated_at = ch.now_ms;
    XF_CHECK(store::update_round(ch.tx, round));
    ch.record(entry(actor, "evaluation.publish", round, owner, round.name));
    return view_of(ch.tx, round);
  });
}

Result<RoundView> EvaluationsService::admin_round(const auth::Actor& actor, Id id) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto round, load_round(*tx, id));
  XF_TRY(bool visible, visible_to(*tx, actor, round));
  if (!visible) return round_not_found();
  return view_of(*tx, round);
}

Result<std::vector<RoundView>> EvaluationsService::admin_rounds(const auth::Actor& actor) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto rounds, store::all_rounds(*tx));
  std::vector<RoundView> out;
  for (const auto& round : rounds) {
    XF_TRY(bool visible, visible_to(*tx, actor, round));
    if (!visible) continue;
    XF_TRY(auto view, view_of(*tx, round));
    out.push_back(std::move(view));
  }
  return out;
}

// ---- Codes ------------------------------------------------------------------

Result<IssuedCodes> EvaluationsService::issue_codes(const auth::Actor& actor, Id round_id,
                                                    std::string_view unit_code,
                                                    std::string_view class_code, int64_t count) {
  if (count < 1 || count > kMaxCodesPerBatch)
    return Error::invalid("count", {"数量应在 1 到 1000000 之间", "Between 1 and 1000000 codes"});
  return audit::write(db_, clock_, [&](audit::Change& ch) -> Result<IssuedCodes> {
    XF_TRY(auto round, lock(ch.tx, round_id));
    XF_TRY(auto owner, authorized_owner(ch.tx, actor, round, auth::Action::manage_evaluations));
    XF_CHECK(rules::can_issue(round));
    const ElectorateClass* electorate = round.find_class(class_code);
    if (!electorate)
      return Error::invalid("class",
                            {"本轮评议没有这个评议群体", "No such electorate class in this round"});
    if (round.kind == RoundKind::member && class_code == kMemberClass)
      return Error::invalid("class", {"党员用本人账号投票,不发选票码",
                                      "Members vote with their own accounts, not with codes"});
    XF_TRY(auto unit, unit_by_code(ch.tx, unit_code));
    XF_TRY(auto ballot_unit, store::find_unit(ch.tx, round, unit.id));
    if (!ballot_unit)
      return Error::invalid(
          "unit_code", {"该单位不是本轮评议的对象", "The unit is not evaluated in this round"});
    IssuedCodes issued{round, *ballot_unit, *electorate, {}, {}};
    issued.batch = {random_.next_id(),       round.shard_id, round.id, unit.id,
                    std::string(class_code), count,          ch.now_ms};
    std::vector<std::string> hashes;
    issued.codes.reserve(static_cast<size_t>(count));
    hashes.reserve(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
      issued.codes.push_back(new_code(random_));
      hashes.push_back(code_hash(normalise_code(issued.codes.back())));
    }
    // In key order the index grows at its end instead of touching a random
    // page per code: issuing a million codes stays within the page cache.
    std::sort(hashes.begin(), hashes.end());
    XF_CHECK(store::insert_batch(ch.tx, issued.batch, hashes));
    store::Turnout issued_codes{unit.id, std::string(class_code), count, 0};
    XF_CHECK(store::add_turnout(ch.tx, round, std::span(&issued_codes, 1)));
    ch.record(
        entry(actor, "evaluation.codes.issue", round, owner,
              std::to_string(count) + " codes for " + unit.code + " / " + std::string(class_code)));
    return issued;
  });
}

// ---- Casting ----------------------------------------------------------------

Result<BallotPage> EvaluationsService::ballot_page(std::string_view code,
                                                   const std::string& client) {
  int64_t now = now_ms();
  XF_CHECK(throttle_.check(client, now));
  std::string normal = normalise_code(code);
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  std::optional<store::CodeBatch> batch;
  if (well_formed(normal)) {
    XF_TRY(batch, store::batch_of_code(*tx, code_hash(normal)));
  }
  if (!batch) {
    throttle_.record(client, now);
    return wrong_code();
  }
  XF_TRY(auto round, load_round(*tx, batch->round_id));
  if (!round.accepts_ballots(now)) return round_not_accepting();
  XF_TRY(bool used, store::code_used(*tx, *batch, code_hash(normal)));
  if (used) return used_code();
  XF_TRY(auto unit, store::find_unit(*tx, round, batch->unit_id));
  const ElectorateClass* electorate = round.find_class(batch->class_code);
  if (!unit || !electorate) return wrong_code();
  XF_TRY(auto targets, store::targets(*tx, round, unit->unit_id));
  std::erase_if(targets, [](const Target& t) { return !t.graded; });
  return BallotPage{round, *unit, *electorate, std::move(targets)};
}

std::vector<Result<Receipt>> EvaluationsService::cast(std::span<const CastRequest> ballots) {
  BatchCast batch(ballots, throttle_, random_, now_ms());
  Status done = [&]() -> Status {
    XF_TRY(auto tx, db_.begin(storage::Access::write));
    Increments increments;
    XF_CHECK(batch.cast(*tx, increments));
    XF_CHECK(increments.flush(*tx));
    return tx->commit();
  }();
  return batch.outcomes(done);
}

Result<BallotPage> EvaluationsService::member_ballot_page(const auth::Actor& actor, Id round_id) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto round, load_round(*tx, round_id));
  const ElectorateClass* electorate = round.find_class(kMemberClass);
  if (!actor.member_id || round.kind != RoundKind::member || !electorate) return round_not_found();
  XF_TRY(auto member, organizations::store::find_member(*tx, *actor.member_id));
  if (!member) return round_not_found();
  XF_TRY(auto unit, store::find_unit(*tx, round, member->unit_id));
  if (!unit) return round_not_found();
  if (!round.accepts_ballots(now_ms())) return round_not_accepting();
  // A second visit says so at once, not only after grading everyone again.
  XF_TRY(bool voted, store::has_voted(*tx, round, member->id));
  if (voted) return already_voted();
  XF_TRY(auto targets, store::targets(*tx, round, unit->unit_id));
  std::erase_if(targets, [](const Target& t) { return !t.graded; });
  return BallotPage{round, *unit, *electorate, std::move(targets)};
}

Result<Receipt> EvaluationsService::cast_as_member(
    const auth::Actor& actor, Id round_id, const std::map<Id, std::vector<std::string>>& grades) {
  XF_TRY(auto page, member_ballot_page(actor, round_id));
  XF_TRY(auto tx, db_.begin(storage::Access::write));
  XF_TRY(auto round, load_round(*tx, round_id));
  if (!round.accepts_ballots(now_ms())) return round_not_accepting();
  XF_TRY(auto targets, store::targets(*tx, round, page.unit.unit_id));
  XF_TRY(auto ballot,
         build_ballot(round, page.unit.unit_id, std::string(kMemberClass), targets, grades));
  XF_TRY(bool first, store::insert_voter(*tx, round, *actor.member_id));
  if (!first) return already_voted();
  Receipt receipt = receipt_for(ballot, random_.hex_token(16));
  XF_TRY(bool inserted, store::insert_ballot(*tx, {round.shard_id, round.id, page.unit.unit_id,
                                                   std::string(kMemberClass), std::nullopt,
                                                   receipt.receipt, receipt.canonical}));
  if (!inserted) return Error::internal("member ballot refused by the code constraint");
  Increments increments;
  increments.add(round, ballot);
  XF_CHECK(increments.flush(*tx));
  XF_CHECK(tx->commit());
  return receipt;
}

Result<store::StoredBallot> EvaluationsService::find_receipt(Id round_id,
                                                             std::string_view receipt) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto round, load_round(*tx, round_id));
  if (round.state == RoundState::draft) return round_not_found();
  XF_TRY(auto ballot, store::find_by_receipt(*tx, round, receipt));
  if (!ballot)
    return Error::not_found({"没有找到这张回执对应的选票", "No ballot with this receipt"});
  return std::move(*ballot);
}

// ---- Results ----------------------------------------------------------------

Result<UnitResults> EvaluationsService::unit_results(Transaction& tx, const Round& round,
                                                     const BallotUnit& unit, bool grades_visible) {
  UnitResults out{round, unit, {}, grades_visible, {}};
  XF_TRY(out.turnout, store::turnout(tx, round, unit.unit_id));
  if (!grades_visible) return out;
  XF_TRY(auto targets, store::targets(tx, round, unit.unit_id));
  XF_TRY(auto counts, store::unit_tallies(tx, round, unit.unit_id, true));
  XF_TRY(auto finals, store::final_grades(tx, round));
  XF_TRY(auto follow_ups, store::follow_ups(tx, round));
  for (const auto& t : targets) {
    if (!t.graded) continue;
    ClassVotes overall = empty_votes(round);
    std::vector<ClassVotes> per_criterion(round.criteria.size(), overall);
    for (auto it = counts.lower_bound({t.id, 0, 0, ""});
         it != counts.end() && it->first.target_id == t.id; ++it) {
      add_vote(round, overall, it->first.class_code, it->first.grade, it->second);
      if (static_cast<size_t>(it->first.criterion) < per_criterion.size())
        add_vote(round, per_criterion[static_cast<size_t>(it->first.criterion)],
                 it->first.class_code, it->first.grade, it->second);
    }
    TargetFigures f{t, weigh(round, overall), {}, std::nullopt, std::nullopt};
    for (const auto& votes : per_criterion) f.by_criterion.push_back(weigh(round, votes));
    for (const auto& g : finals)
      if (g.target_id == t.id) f.final_grade = g;
    for (const auto& u : follow_ups)
      if (u.target_id == t.id) f.follow_up = u;
    out.targets.push_back(std::move(f));
  }
  return out;
}

Result<RoundResults> EvaluationsService::results(Transaction& tx, const Round& round,
                                                 const Unit& root, bool grades_visible) {
  XF_TRY(auto fields, organizations::store::fields(tx));
  auto rollup = [&](std::string code, std::string name, std::string_view from, std::string_view to,
                    bool by_field) -> Result<std::vector<Rollup>> {
    XF_TRY(auto turnout, store::subtree_turnout(tx, round, from, to));
    XF_TRY(auto votes, store::subtree_votes(tx, round, from, to));
    std::map<std::string, Rollup> parts;
    std::map<std::string, ClassVotes> part_votes;
    auto key_of = [&](const std::string& field) { return by_field ? field : code; };
    for (const auto& t : turnout) {
      auto& r = parts[key_of(t.field)];
      r.issued += t.issued;
      r.cast += t.cast;
    }
    for (const auto& v : votes) {
      auto [it, fresh] = part_votes.try_emplace(key_of(v.field), empty_votes(round));
      add_vote(round, it->second, v.class_code, v.grade, v.votes);
      parts[key_of(v.field)];
    }
    std::vector<Rollup> out;
    for (auto& [key, r] : parts) {
      r.code = key;
      r.name = name;
      if (by_field)
        for (const auto& f : fields)
          if (f.code == key) r.name = f.name_zh;
      if (grades_visible)
        r.figures =
            weigh(round, part_votes.contains(key) ? part_votes.at(key) : empty_votes(round));
      out.push_back(std::move(r));
    }
    if (out.empty() && !by_field) out.push_back({code, name, 0, 0, std::nullopt});
    return out;
  };
  std::string end = organizations::subtree_end(root.path);
  RoundResults out{round, {}, {}, {}, grades_visible};
  XF_TRY(auto total, rollup(root.code, root.name, root.path, end, false));
  out.total = total.front();
  if (grades_visible && !out.total.figures) out.total.figures = weigh(round, empty_votes(round));
  XF_TRY(out.by_field, rollup("", "", root.path, end, true));
  XF_TRY(auto children, organizations::store::children(tx, root, false));
  for (const auto& child : children) {
    const auto& u = child.unit;
    XF_TRY(auto part, rollup(u.code, u.name, u.path, organizations::subtree_end(u.path), false));
    if (part.front().issued > 0 || part.front().cast > 0) out.by_unit.push_back(part.front());
  }
  return out;
}

namespace {

constexpr int kRoundsListed = 50;

Result<std::vector<UnitRound>> listed_rounds(Transaction& tx, Id unit_id,
                                             const std::function<bool(const Round&)>& keep) {
  XF_TRY(auto rounds, store::rounds_of_unit(tx, unit_id, kRoundsListed));
  std::vector<UnitRound> out;
  for (auto& round : rounds) {
    if (!keep(round)) continue;
    XF_TRY(auto owner, unit_by_id(tx, round.owner_unit_id));
    bool visible = grades_public(round);
    out.push_back({std::move(round), owner.code, owner.name, visible});
  }
  return out;
}

}  // namespace

Result<std::vector<UnitRound>> EvaluationsService::public_rounds_of_unit(
    std::string_view unit_code) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto unit, unit_by_code(*tx, unit_code));
  return listed_rounds(*tx, unit.id, [](const Round&) { return true; });
}

Result<std::vector<UnitRound>> EvaluationsService::member_rounds(const auth::Actor& actor) {
  if (!actor.member_id) return std::vector<UnitRound>{};
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto member, organizations::store::find_member(*tx, *actor.member_id));
  if (!member) return std::vector<UnitRound>{};
  int64_t now = now_ms();
  return listed_rounds(*tx, member->unit_id, [now](const Round& r) {
    return r.kind == RoundKind::member && r.accepts_ballots(now);
  });
}

Result<RoundResults> EvaluationsService::public_results(Id round_id) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto round, load_round(*tx, round_id));
  if (round.state == RoundState::draft) return round_not_found();
  XF_TRY(auto owner, unit_by_id(*tx, round.owner_unit_id));
  return results(*tx, round, owner, grades_public(round));
}

Result<UnitResults> EvaluationsService::public_unit(Id round_id, std::string_view unit_code) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto round, load_round(*tx, round_id));
  if (round.state == RoundState::draft) return round_not_found();
  XF_TRY(auto unit, unit_by_code(*tx, unit_code));
  XF_TRY(auto ballot_unit, store::find_unit(*tx, round, unit.id));
  if (!ballot_unit) return unit_not_found();
  // Members' individual grades are the branch's business until published.
  bool visible =
      round.kind == RoundKind::unit ? grades_public(round) : round.state == RoundState::published;
  XF_TRY(auto results, unit_results(*tx, round, *ballot_unit, visible));
  if (round.kind == RoundKind::member)
    for (auto& t : results.targets) t.follow_up.reset();
  return results;
}

Result<RoundResults> EvaluationsService::admin_results(const auth::Actor& actor, Id round_id,
                                                       std::string_view unit_code) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto round, load_round(*tx, round_id));
  XF_TRY(auto owner, unit_by_id(*tx, round.owner_unit_id));
  Unit root = owner;
  if (!unit_code.empty()) {
    XF_TRY(root, unit_by_code(*tx, unit_code));
  }
  if (!inside(root.path, owner.path)) return unit_not_found();
  auto allowed = auth::authorize(actor, auth::Action::view_unit_admin, ancestry(root));
  if (!allowed.ok())
    return allowed.error().code == ErrorCode::not_found ? round_not_found() : allowed.error();
  return results(*tx, round, root, true);
}

Result<UnitResults> EvaluationsService::admin_unit(const auth::Actor& actor, Id round_id,
                                                   std::string_view unit_code) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto round, load_round(*tx, round_id));
  XF_TRY(auto unit, unit_by_code(*tx, unit_code));
  XF_CHECK(auth::authorize(actor, auth::Action::view_unit_admin, ancestry(unit)));
  XF_TRY(auto ballot_unit, store::find_unit(*tx, round, unit.id));
  if (!ballot_unit) return unit_not_found();
  return unit_results(*tx, round, *ballot_unit, true);
}

// ---- Final grades -------------------------------------------------------------

Result<UnitResults> EvaluationsService::set_final_grades(
    const auth::Actor& actor, Id round_id, std::string_view unit_code,
    std::span<const rules::FinalGradeInput> grades) {
  return audit::write(db_, clock_, [&](audit::Change& ch) -> Result<UnitResults> {
    XF_TRY(auto round, lock(ch.tx, round_id));
    XF_TRY(auto unit, unit_by_code(ch.tx, unit_code));
    XF_CHECK(auth::authorize(actor, auth::Action::grade_members, ancestry(unit)));
    XF_CHECK(rules::can_grade(round));
    XF_TRY(auto ballot_unit, store::find_unit(ch.tx, round, unit.id));
    if (!ballot_unit)
      return Error::invalid("unit_code",
                            {"该支部不在本轮评议中", "The branch is not in this round"});
    XF_TRY(auto targets, store::targets(ch.tx, round, unit.id));
    std::erase_if(targets, [](const Target& t) { return !t.graded; });
    XF_TRY(auto counts, store::unit_tallies(ch.tx, round, unit.id, false));
    auto by_vote = vote_grades(round, counts);
    std::vector<std::optional<int>> votes;
    for (const auto& g : grades)
      votes.push_back(by_vote.contains(g.target_id) ? by_vote.at(g.target_id) : std::nullopt);
    auto errors = rules::check_final_grades(round, targets, grades, votes);
    if (!errors.empty()) return Error::invalid_fields(std::move(errors));
    for (size_t i = 0; i < grades.size(); ++i) {
      const auto& g = grades[i];
      bool differs = votes[i] && *votes[i] != g.grade;
      XF_CHECK(store::upsert_final_grade(
          ch.tx, round,
          {g.target_id, g.grade, votes[i], differs ? organizations::trimmed(g.reason) : "",
           actor.username, ch.now_ms}));
      const Grade& grade = round.grades[static_cast<size_t>(g.grade)];
      if (grade.follow_up) XF_CHECK(store::open_follow_up(ch.tx, round, g.target_id, ch.now_ms));
      auto name = std::find_if(targets.begin(), targets.end(), [&](const Target& t) {
                    return t.id == g.target_id;
                  })->name;
      std::string summary = name + ": " + grade.name;
      if (differs)
        summary += " (测评 " + round.grades[static_cast<size_t>(*votes[i])].name +
                   "; 理由: " + organizations::trimmed(g.reason) + ")";
      ch.record(organizations::audit_entry(actor, "evaluation.final_grade", "member",
                                           id_to_string(g.target_id), unit, summary));
    }
    return unit_results(ch.tx, round, *ballot_unit, true);
  });
}

Result<UnitResults> EvaluationsService::update_follow_up(const auth::Actor& actor, Id round_id,
                                                         const FollowUpInput& in) {
  return audit::write(db_, clock_, [&](audit::Change& ch) -> Result<UnitResults> {
    XF_TRY(auto round, lock(ch.tx, round_id));
    XF_TRY(auto targets, store::targets(ch.tx, round, std::nullopt));
    auto target = std::find_if(targets.begin(), targets.end(),
                               [&](const Target& t) { return t.id == in.member_id; });
    if (target == targets.end())
      return Error::not_found({"该党员没有整改记录", "No follow-up for this member"});
    XF_TRY(auto unit, unit_by_id(ch.tx, target->unit_id));
    XF_CHECK(auth::authorize(actor, auth::Action::grade_members, ancestry(unit)));
    std::vector<FieldError> errors;
    if (!in.deadline.empty() &&
        (in.deadline.size() != 10 || in.deadline[4] != '-' || in.deadline[7] != '-'))
      errors.push_back({"deadline", {"日期格式应为 YYYY-MM-DD", "A date as YYYY-MM-DD"}, {}});
    if (organizations::utf8_length(in.plan) > kMaxReason)
      errors.push_back({"plan", {"不超过 1000 字", "At most 1000 characters"}, {}});
    if (organizations::utf8_length(in.outcome) > kMaxReason)
      errors.push_back({"outcome", {"不超过 1000 字", "At most 1000 characters"}, {}});
    if (!errors.empty()) return Error::invalid_fields(std::move(errors));
    XF_CHECK(store::update_follow_up(ch.tx, round,
                                     {in.member_id, in.plan, in.deadline, in.outcome, ch.now_ms}));
    ch.record(organizations::audit_entry(actor, "evaluation.follow_up", "member",
                                         id_to_string(in.member_id), unit,
                                         target->name + ": " + in.deadline));
    XF_TRY(auto ballot_unit, store::find_unit(ch.tx, round, unit.id));
    return unit_results(ch.tx, round, *ballot_unit, true);
  });
}

// ---- Recompute ----------------------------------------------------------------

Result<int64_t> EvaluationsService::recompute(Id round_id) {
  return audit::write(db_, clock_, [&](audit::Change& ch) -> Result<int64_t> {
    XF_TRY(auto round, lock(ch.tx, round_id));
    XF_TRY(auto owner, unit_by_id(ch.tx, round.owner_unit_id));
    TallyCounts counts;
    std::map<store::TurnoutKey, int64_t> cast;
    int64_t read = 0;
    std::string after;  // receipt
    for (;;) {
      XF_TRY(auto page, store::ballots_after(ch.tx, round, after, kRecomputePage));
      for (const auto& stored : page) {
        XF_TRY(auto ballot, parse_canonical(stored.content));
        count_ballot(ballot, counts);
        ++cast[{stored.unit_id, stored.class_code}];
        after = stored.receipt;
      }
      read += static_cast<int64_t>(page.size());
      if (page.size() < static_cast<size_t>(kRecomputePage)) break;
    }
    XF_CHECK(store::replace_tallies(ch.tx, round, counts, cast));
    ch.record(entry(organizations::system_actor(), "evaluation.recompute", round, owner,
                    std::to_string(read) + " ballots"));
    return read;
  });
}

}  // namespace xf::evaluations
