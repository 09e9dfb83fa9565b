#include "features/commitments/commitments_service.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "features/campaigns/campaigns_rules.h"
#include "features/campaigns/campaigns_store.h"
#include "features/commitments/commitments_rules.h"
#include "features/organizations/organizations_service.h"
#include "features/organizations/organizations_store.h"
#include "platform/audit/write.h"
#include "platform/core/crypto.h"

namespace xf::commitments {
namespace {

using campaigns::Campaign;
using organizations::Member;
using organizations::Unit;

std::vector<Id> ancestry(const Unit& u) {
  return organizations::ancestry_from_path(u.path);
}

UnitBrief brief(const Unit& u) {
  return {u.id, u.code, u.name, u.field};
}

Error commitment_not_found() {
  return Error::not_found({"找不到该承诺", "No such commitment"});
}

Error unit_not_found() {
  return Error::not_found({"找不到该单位", "No such unit"});
}

audit::Entry entry(const auth::Actor& actor, std::string action, const Commitment& c,
                   const Unit& unit, std::string summary) {
  return organizations::audit_entry(actor, std::move(action), "commitment", id_to_string(c.id),
                                    unit, std::move(summary));
}

std::string round1(double v) {
  std::string s = std::to_string(std::round(v * 10) / 10);
  return s.substr(0, s.find('.') + 2);
}

// The commitment, its unit and campaign, the commitment locked so that the
// transition is decided on its current state.
struct Context {
  Commitment c;
  Unit unit;
  Campaign campaign;
};

Result<Unit> unit_by_id(storage::Transaction& tx, Id id) {
  XF_TRY(auto unit, organizations::store::find_unit_by_id(tx, id));
  if (!unit) return unit_not_found();
  return std::move(*unit);
}

Result<Context> load(storage::Transaction& tx, Id id) {
  XF_TRY(auto found, store::find_commitment(tx, id));
  if (!found) return commitment_not_found();
  XF_TRY(auto unit, unit_by_id(tx, found->unit_id));
  XF_TRY(auto campaign, campaigns::store::find_campaign(tx, found->campaign_id));
  if (!campaign) return commitment_not_found();
  return Context{std::move(*found), std::move(unit), std::move(*campaign)};
}

// For a change: the campaign's lock first (a closing campaign is seen, and
// is 409), then the commitment's.
Result<Context> load_for_change(storage::Transaction& tx, Id id) {
  XF_TRY(auto ctx, load(tx, id));
  XF_TRY(auto campaign, campaigns::store::lock_campaign(tx, ctx.campaign));
  if (!campaign) return commitment_not_found();
  XF_CHECK(campaigns::rules::can_change(campaign->status));
  ctx.campaign = std::move(*campaign);
  XF_TRY(auto locked, store::lock_commitment(tx, ctx.c.shard_id, ctx.c.id));
  if (!locked) return commitment_not_found();
  ctx.c = std::move(*locked);
  return ctx;
}

// Inside the actor's admin view but not allowed: permission_denied; outside
// it: not_found, as if it did not exist.
Error refusal(const auth::Actor& actor, const Unit& unit) {
  if (auth::authorize(actor, auth::Action::view_unit_admin, ancestry(unit)).ok())
    return Error::permission_denied();
  return commitment_not_found();
}

// Drafting, progress and the self-assessment: the unit's secretary or
// admin for a unit's commitment; the member themself for a member's.
Status authorize_manage(const auth::Actor& actor, const Context& ctx) {
  if (ctx.c.member_id) {
    if (actor.member_id == ctx.c.member_id) return {};
    return refusal(actor, ctx.unit);
  }
  return auth::authorize(actor, auth::Action::manage_commitments, ancestry(ctx.unit));
}

// Vetting, the superior's comment and the result: a grant strictly above
// the unit (its parent's ancestry), as with themes. A member's commitment is
// vetted by the member's own branch.
Status authorize_vet(const auth::Actor& actor, const Context& ctx) {
  if (ctx.c.member_id)
    return auth::authorize(actor, auth::Action::manage_commitments, ancestry(ctx.unit));
  auto above = ancestry(ctx.unit);
  above.pop_back();
  auto allowed = auth::authorize(actor, auth::Action::vet_commitments, above);
  if (allowed.ok() || allowed.error().code != ErrorCode::not_found) return allowed;
  return refusal(actor, ctx.unit);
}

// The member record of the acting account, when it has one.
Result<std::optional<Member>> member_of(storage::Transaction& tx, const auth::Actor& actor) {
  if (!actor.member_id) return std::optional<Member>{};
  return organizations::store::find_member(tx, *actor.member_id);
}

// Who may read a commitment in the console: the unit's admins (view right),
// its own member, and the members of its branch (they assess as peers).
Status authorize_view(storage::Transaction& tx, const auth::Actor& actor, const Context& ctx) {
  if (auth::authorize(actor, auth::Action::view_unit_admin, ancestry(ctx.unit)).ok()) return {};
  XF_TRY(auto member, member_of(tx, actor));
  if (member && member->unit_id == ctx.c.unit_id) return {};
  return commitment_not_found();
}

// The campaign a new commitment joins: it exists, covers the unit, is active.
Result<Campaign> campaign_for_new(storage::Transaction& tx, Id campaign_id, const Unit& unit) {
  XF_TRY(auto found, campaigns::store::find_campaign(tx, campaign_id));
  if (!found || !campaigns::covers(*found, ancestry(unit)))
    return Error::invalid(
        "campaign_id", {"该单位不在这项活动的范围内", "The unit is not in this campaign's scope"});
  XF_TRY(auto locked, campaigns::store::lock_campaign(tx, *found));
  if (!locked) return Error::invalid("campaign_id", {"找不到该活动", "No such campaign"});
  XF_CHECK(campaigns::rules::can_take_part(locked->status));
  return std::move(*locked);
}

// Every item's central task and carrier belong to the campaign; the
// carrier is not retired and suits the unit's field.
Status check_links(storage::Transaction& tx, const Campaign& campaign, const Unit& unit,
                   const CommitmentInput& in) {
  std::vector<FieldError> errors;
  for (size_t i = 0; i < in.items.size(); ++i) {
    std::string at = "items[" + std::to_string(i) + "].";
    XF_TRY(auto task,
           campaigns::store::find_central_task(tx, campaign, in.items[i].central_task_id));
    if (!task)
      errors.push_back({at + "central_task_id",
                        {"不是这项活动的中心工作", "Not a central task of this campaign"},
                        {}});
    XF_TRY(auto carrier, campaigns::store::find_carrier(tx, campaign, in.items[i].carrier_id));
    if (!carrier || carrier->retired_at || !carrier->suits(unit.field))
      errors.push_back({at + "carrier_id",
                        {"不是这项活动中适用于本领域的载体",
                         "Not a carrier of this campaign for the unit's field"},
                        {}});
  }
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));
  return {};
}

Status validate(const CommitmentInput& in) {
  auto errors = validate_commitment(in);
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));
  return {};
}

Status validate_reason(std::string_view field, std::string_view text, bool required) {
  auto errors = validate_text(field, text, required);
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));
  return {};
}

std::vector<Item> items_from(const CommitmentInput& in) {
  std::vector<Item> items;
  int no = 0;
  for (const auto& i : in.items)
    items.push_back({++no, i.text, i.target_value, i.target_unit, i.due_on, i.central_task_id,
                     i.carrier_id, 0, std::nullopt});
  return items;
}

// Progress, completion and the due date follow the items.
void recompute(Commitment& c) {
  c.progress = commitment_progress(c.items);
  c.completed_on = completed_on(c.items);
  c.due_on = last_due_on(c.items);
}

std::string items_json(const Commitment& c) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& i : c.items)
    items.push_back({{"no", i.no},
                     {"text", i.text},
                     {"target_value", i.target_value},
                     {"target_unit", i.target_unit},
                     {"due_on", i.due_on},
                     {"central_task_id", id_to_string(i.central_task_id)},
                     {"carrier_id", id_to_string(i.carrier_id)}});
  return items.dump();
}

Version version_of(const Commitment& c, const auth::Actor& actor, std::string reason, int64_t now) {
  return {c.version, c.title, items_json(c), std::move(reason), actor.username, now};
}

Result<Weights> weights_of(storage::Transaction& tx, const Commitment& c) {
  XF_TRY(auto stored, store::weights(tx, c.shard_id, c.campaign_id));
  return stored.value_or(Weights{});
}

std::string reviewer_name(const auth::Actor& actor) {
  return actor.display_name.empty() ? actor.username : actor.display_name;
}

}  // namespace

std::string CommitmentsService::today() const {
  return calendar::format_date(zone_.date_of(clock_.now()));
}

Result<CommitmentView> CommitmentsService::create(const auth::Actor& actor, Id campaign_id,
                                                  std::string_view unit_code, bool member,
                                                  const CommitmentInput& input) {
  XF_TRY(Id id, audit::write(db_, clock_, [&](audit::Change& change) -> Result<Id> {
           auto& tx = change.tx;
           Commitment c;
           Unit unit;
           if (member) {
             XF_TRY(auto own, member_of(tx, actor));
             if (!own)
               return Error::invalid("kind", {"您的账号没有关联党员信息,不能作党员承诺",
                                              "Your account is not linked to a member record"});
             XF_TRY(unit, unit_by_id(tx, own->unit_id));
             c.member_id = own->id;
             c.post = own->post;
           } else {
             XF_TRY(auto found, organizations::store::find_unit_by_code(tx, unit_code));
             if (!found) return unit_not_found();
             unit = std::move(*found);
             XF_CHECK(auth::authorize(actor, auth::Action::manage_commitments, ancestry(unit)));
           }
           if (unit.status != organizations::UnitStatus::active)
             return Error::conflict({"单位已撤销", "The unit is closed"});
           XF_TRY(auto campaign, campaign_for_new(tx, campaign_id, unit));
           XF_CHECK(validate(input));
           XF_CHECK(check_links(tx, campaign, unit, input));
           int64_t now = change.now_ms;
           c.id = random_.next_id();
           c.shard_id = unit.shard_id;
           c.campaign_id = campaign.id;
           c.unit_id = unit.id;
           c.title = input.title;
           c.items = items_from(input);
           recompute(c);
           c.created_by = actor.account_id;
           c.created_at = c.updated_at = now;
           XF_CHECK(store::insert_commitment(tx, c));
           change.record(entry(actor, "commitment.create", c, unit,
                               "title=" + c.title + " items=" + std::to_string(c.items.size()) +
                                   (member ? " member=" + id_to_string(*c.member_id) : "")));
           return c.id;
         }));
  return admin_commitment(actor, id);
}

Result<CommitmentView> CommitmentsService::update_draft(const auth::Actor& actor, Id id,
                                                        const CommitmentInput& input) {
  XF_TRY(Id done, audit::write(db_, clock_, [&](audit::Change& change) -> Result<Id> {
           XF_TRY(auto ctx, load_for_change(change.tx, id));
           XF_CHECK(authorize_manage(actor, ctx));
           XF_CHECK(rules::can_edit_draft(ctx.c.status));
           XF_CHECK(validate(input));
           XF_CHECK(check_links(change.tx, ctx.campaign, ctx.unit, input));
           ctx.c.title = input.title;
           ctx.c.items = items_from(input);
           recompute(ctx.c);
           ctx.c.updated_at = change.now_ms;
           XF_CHECK(store::replace_items(change.tx, ctx.c));
           XF_CHECK(store::update_commitment(change.tx, ctx.c));
           change.record(
               entry(actor, "commitment.update", ctx.c, ctx.unit,
                     "title=" + ctx.c.title + " items=" + std::to_string(ctx.c.items.size())));
           return ctx.c.id;
         }));
  return after_change(actor, done);
}

Result<CommitmentView> CommitmentsService::after_change(const auth::Actor& actor, Id id) {
  auto view = admin_commitment(actor, id);
  if (view.ok()) board_cache_.forget(view->unit.code);
  return view;
}

Result<CommitmentView> CommitmentsService::submit(const auth::Actor& actor, Id id) {
  XF_TRY(
      Id done, audit::write(db_, clock_, [&](audit::Change& change) -> Result<Id> {
        XF_TRY(auto ctx, load_for_change(change.tx, id));
        XF_CHECK(authorize_manage(actor, ctx));
        XF_CHECK(rules::can_submit(ctx.c.status));
        ctx.c.status = State::submitted;
        ctx.c.submitted_at = ctx.c.updated_at = change.now_ms;
        XF_CHECK(store::update_commitment(change.tx, ctx.c));
        change.record(entry(actor, "commitment.submit", ctx.c, ctx.unit, "title=" + ctx.c.title));
        return ctx.c.id;
      }));
  return after_change(actor, done);
}

Result<CommitmentView> CommitmentsService::approve(const auth::Actor& actor, Id id,
                                                   std::string_view comment) {
  XF_TRY(
      Id done, audit::write(db_, clock_, [&](audit::Change& change) -> Result<Id> {
        XF_TRY(auto ctx, load_for_change(change.tx, id));
        XF_CHECK(authorize_vet(actor, ctx));
        XF_CHECK(rules::can_vet(ctx.c.status));
        XF_CHECK(validate_reason("comment", comment, false));
        ctx.c.status = State::published;
        ctx.c.vet_comment = comment;
        ctx.c.return_reason.clear();
        ctx.c.version = 1;
        ctx.c.published_at = ctx.c.updated_at = change.now_ms;
        XF_CHECK(store::update_commitment(change.tx, ctx.c));
        XF_CHECK(store::insert_version(change.tx, ctx.c,
                                       version_of(ctx.c, actor, "公开承诺", change.now_ms)));
        change.record(entry(actor, "commitment.approve", ctx.c, ctx.unit, "title=" + ctx.c.title));
        return ctx.c.id;
      }));
  return after_change(actor, done);
}

Result<CommitmentView> CommitmentsService::return_to_draft(const auth::Actor& actor, Id id,
                                                           std::string_view reason) {
  XF_TRY(Id done, audit::write(db_, clock_, [&](audit::Change& change) -> Result<Id> {
           XF_TRY(auto ctx, load_for_change(change.tx, id));
           XF_CHECK(authorize_vet(actor, ctx));
           XF_CHECK(rules::can_vet(ctx.c.status));
           XF_CHECK(validate_reason("reason", reason, true));
           ctx.c.status = State::draft;
           ctx.c.return_reason = reason;
           ctx.c.updated_at = change.now_ms;
           XF_CHECK(store::update_commitment(change.tx, ctx.c));
           change.record(entry(actor, "commitment.return", ctx.c, ctx.unit,
                               "title=" + ctx.c.title + " reason=" + std::string(reason)));
           return ctx.c.id;
         }));
  return after_change(actor, done);
}

Result<CommitmentView> CommitmentsService::revise(const auth::Actor& actor, Id id,
                                                  const CommitmentInput& input,
                                                  std::string_view reason) {
  XF_TRY(
      Id done, audit::write(db_, clock_, [&](audit::Change& change) -> Result<Id> {
        XF_TRY(auto ctx, load_for_change(change.tx, id));
        XF_CHECK(authorize_manage(actor, ctx));
        XF_CHECK(rules::can_revise(ctx.c.status));
        XF_CHECK(validate(input));
        XF_CHECK(validate_reason("reason", reason, true));
        if (input.items.size() != ctx.c.items.size())
          return Error::conflict({"公开后的承诺不能增删事项,只能修改已有事项",
                                  "A public commitment keeps its items; revise them, do not add or "
                                  "remove any"});
        XF_CHECK(check_links(change.tx, ctx.campaign, ctx.unit, input));
        ctx.c.title = input.title;
        for (size_t i = 0; i < input.items.size(); ++i) {
          Item& item = ctx.c.items[i];
          const ItemInput& in = input.items[i];
          item.text = in.text;
          item.target_value = in.target_value;
          item.target_unit = in.target_unit;
          item.due_on = in.due_on;
          item.central_task_id = in.central_task_id;
          item.carrier_id = in.carrier_id;
        }
        recompute(ctx.c);
        ctx.c.version += 1;
        ctx.c.revised_at = ctx.c.updated_at = change.now_ms;
        XF_CHECK(store::update_item_texts(change.tx, ctx.c));
        XF_CHECK(store::update_commitment(change.tx, ctx.c));
        XF_CHECK(store::insert_version(
            change.tx, ctx.c, version_of(ctx.c, actor, std::string(reason), change.now_ms)));
        change.record(
            entry(actor, "commitment.revise", ctx.c, ctx.unit,
                  "version=" + std::to_string(ctx.c.version) + " reason=" + std::string(reason)));
        return ctx.c.id;
      }));
  return after_change(actor, done);
}

Result<CommitmentView> CommitmentsService::report_progress(const auth::Actor& actor, Id id,
                                                           const ProgressInput& in) {
  std::string now_day = today();
  XF_TRY(Id done, audit::write(db_, clock_, [&](audit::Change& change) -> Result<Id> {
           XF_TRY(auto ctx, load_for_change(change.tx, id));
           XF_CHECK(authorize_manage(actor, ctx));
           XF_CHECK(rules::can_report_progress(ctx.c.status));
           auto errors = validate_progress(in, ctx.c.items.size());
           if (errors.empty() && in.on_date > now_day)
             errors.push_back(
                 {"on_date", {"日期不能晚于今天", "The date cannot be in the future"}, {}});
           for (size_t i = 0; errors.empty() && i < in.evidence_ids.size(); ++i) {
             std::string field = "evidence_ids[" + std::to_string(i) + "]";
             if (!evidence_)
               return Error::invalid(
                   field, {"本服务未启用佐证材料上传", "Evidence files are not enabled"});
             XF_CHECK(evidence_->check(change.tx, in.evidence_ids[i], ctx.unit.id, field));
           }
           if (!errors.empty()) return Error::invalid_fields(std::move(errors));
           Progress update{random_.next_id(),    ctx.c.shard_id, ctx.c.id,       in.item_no,
                           in.on_date,           in.text,        in.value,       in.percent,
                           reviewer_name(actor), change.now_ms,  in.evidence_ids};
           XF_CHECK(store::insert_progress(change.tx, update));
           Item& item = ctx.c.items[static_cast<size_t>(in.item_no - 1)];
           item.progress = item_progress(update, item);
           if (item.progress < 100)
             item.completed_on.reset();
           else if (!item.completed_on)
             item.completed_on = in.on_date;
           XF_CHECK(store::set_item_progress(change.tx, ctx.c, item));
           recompute(ctx.c);
           ctx.c.updated_at = change.now_ms;
           XF_CHECK(store::update_commitment(change.tx, ctx.c));
           change.record(entry(actor, "commitment.progress", ctx.c, ctx.unit,
                               "item=" + std::to_string(in.item_no) +
                                   " progress=" + round1(item.progress) +
                                   " evidence=" + std::to_string(in.evidence_ids.size())));
           return ctx.c.id;
         }));
  return after_change(actor, done);
}

Result<CommitmentView> CommitmentsService::review(const auth::Actor& actor, Id id, Source source,
                                                  Grade grade, std::string_view comment) {
  std::string now_day = today();
  XF_TRY(Id done, audit::write(db_, clock_, [&](audit::Change& change) -> Result<Id> {
           XF_TRY(auto ctx, load_for_change(change.tx, id));
           Review r{source, 0, grade, std::string(comment), reviewer_name(actor), change.now_ms};
           if (source == Source::self) {
             XF_CHECK(authorize_manage(actor, ctx));
           } else if (source == Source::superior) {
             XF_CHECK(authorize_vet(actor, ctx));
           } else {
             XF_TRY(auto member, member_of(change.tx, actor));
             if (!member || member->unit_id != ctx.c.unit_id) return refusal(actor, ctx.unit);
             if (ctx.c.member_id == member->id)
               return Error::conflict({"不能以同志身份评议自己的承诺",
                                       "You cannot assess your own commitment as a peer"});
             r.reviewer_key = member->id;
             r.reviewer_name = member->name;
           }
           XF_CHECK(rules::can_review(ctx.c, now_day));
           XF_CHECK(validate_reason("comment", comment, source == Source::superior));
           auto inserted = store::insert_review(change.tx, ctx.c, r);
           if (!inserted.ok() && storage::is_unique_violation(inserted.error()))
             return Error::conflict({"您已经作过这项评议", "This review has already been given"});
           XF_CHECK(inserted);
           change.record(entry(actor, "commitment.review", ctx.c, ctx.unit,
                               "source=" + std::string(source_name(source)) +
                                   " grade=" + std::string(grade_name(grade))));
           return ctx.c.id;
         }));
  return after_change(actor, done);
}

Status CommitmentsService::rate(const Rater& rater, Id id, Rating rating,
                                std::string_view comment) {
  std::string voter;
  if (rater.actor) {
    voter = "a:" + id_to_string(rater.actor->account_id);
  } else {
    if (rater.browser_token.size() < 16 || rater.browser_token.size() > 200)
      return Error::invalid("token", {"缺少浏览器标识,请刷新页面后重试",
                                      "The browser token is missing; reload the page and retry"});
    voter = "t:" + sha256_hex(rater.browser_token);
  }
  XF_CHECK(validate_reason("comment", comment, false));
  std::string unit_code;
  Status rated = audit::write(db_, clock_, [&](audit::Change& change) -> Status {
    if (!rater.actor) {
      XF_TRY(int64_t count, store::count_rating(change.tx, "rate:" + rater.client_address,
                                                change.now_ms, kRatingWindowMs));
      if (count > kRatingsPerWindow)
        return Error::rate_limited(static_cast<int>(kRatingWindowMs / 1000));
    }
    XF_TRY(auto ctx, load_for_change(change.tx, id));
    if (ctx.c.status == State::draft || ctx.c.status == State::submitted)
      return commitment_not_found();
    unit_code = ctx.unit.code;
    XF_CHECK(rules::can_rate(ctx.c.status));
    auto inserted = store::insert_rating(change.tx, ctx.c, random_.next_id(), voter, rating,
                                         comment, change.now_ms);
    if (!inserted.ok() && storage::is_unique_violation(inserted.error()))
      return Error::conflict({"您已经评价过这项承诺", "You have already rated this commitment"});
    XF_CHECK(inserted);
    auth::Actor resident;
    if (rater.actor)
      resident = *rater.actor;
    else
      resident.username = "resident";
    change.record(entry(resident, "commitment.rate", ctx.c, ctx.unit,
                        "rating=" + std::string(rating_name(rating)) +
                            (rater.actor ? " by=account" : " by=browser")));
    return {};
  });
  if (rated.ok()) board_cache_.forget(unit_code);
  return rated;
}

Result<CommitmentView> CommitmentsService::close(const auth::Actor& actor, Id id) {
  std::string now_day = today();
  XF_TRY(Id done, audit::write(db_, clock_, [&](audit::Change& change) -> Result<Id> {
           XF_TRY(auto ctx, load_for_change(change.tx, id));
           XF_CHECK(authorize_vet(actor, ctx));
           XF_TRY(auto reviews, store::reviews(change.tx, ctx.c));
           auto has = [&](Source s) {
             return std::any_of(reviews.begin(), reviews.end(),
                                [s](const Review& r) { return r.source == s; });
           };
           XF_CHECK(rules::can_close(ctx.c, now_day, has(Source::self), has(Source::superior)));
           XF_TRY(auto ratings, store::rating_counts(change.tx, ctx.c));
           XF_TRY(auto weights, weights_of(change.tx, ctx.c));
           auto outcome = compute_result(reviews, ratings, weights);
           int64_t open = 0;
           if (problems_) {
             XF_TRY(open, problems_->open_count(ctx.unit.code, ctx.c.id));
           }
           XF_CHECK(rules::can_fulfil(outcome.result, open));
           ctx.c.status = State::closed;
           ctx.c.result = outcome.result;
           ctx.c.result_score = outcome.score;
           ctx.c.closed_at = ctx.c.updated_at = change.now_ms;
           XF_CHECK(store::update_commitment(change.tx, ctx.c));
           change.record(entry(actor, "commitment.close", ctx.c, ctx.unit,
                               "result=" + std::string(grade_name(outcome.result)) +
                                   " score=" + round1(outcome.score)));
           return ctx.c.id;
         }));
  return after_change(actor, done);
}

namespace {

Result<CommitmentView> view_of(storage::Transaction& tx, Context ctx, std::string today) {
  CommitmentView v;
  v.unit = brief(ctx.unit);
  v.campaign_name = ctx.campaign.name;
  if (ctx.c.member_id) {
    XF_TRY(auto rows, tx.query("SELECT name FROM members WHERE shard_id = $1 AND id = $2",
                               {storage::p(ctx.c.shard_id), storage::p(*ctx.c.member_id)}));
    if (!rows.empty()) v.member_name = rows.front().text(0);
  }
  XF_TRY(v.progress, store::progress_of(tx, ctx.c));
  XF_TRY(v.reviews, store::reviews(tx, ctx.c));
  XF_TRY(v.ratings, store::rating_counts(tx, ctx.c));
  XF_TRY(v.rating_comments, store::recent_rating_comments(tx, ctx.c, 20));
  XF_TRY(v.versions, store::versions(tx, ctx.c));
  XF_TRY(v.weights, weights_of(tx, ctx.c));
  v.result_inputs = compute_result(v.reviews, v.ratings, v.weights);
  XF_TRY(auto tasks, campaigns::store::central_tasks(tx, ctx.campaign));
  for (const auto& t : tasks) v.task_names.emplace_back(t.id, t.title);
  XF_TRY(auto carriers, campaigns::store::carriers(tx, ctx.campaign, true));
  for (const auto& c : carriers) v.carrier_names.emplace_back(c.id, c.name);
  v.overdue = overdue(ctx.c, today);
  v.today = std::move(today);
  v.commitment = std::move(ctx.c);
  return v;
}

}  // namespace

Result<CommitmentView> CommitmentsService::admin_commitment(const auth::Actor& actor, Id id) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto ctx, load(*tx, id));
  XF_CHECK(authorize_view(*tx, actor, ctx));
  return view_of(*tx, std::move(ctx), today());
}

Result<CommitmentView> CommitmentsService::public_commitment(Id id) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto ctx, load(*tx, id));
  bool is_public = ctx.c.status == State::published || ctx.c.status == State::closed;
  if (!is_public || ctx.unit.status != organizations::UnitStatus::active)
    return commitment_not_found();
  return view_of(*tx, std::move(ctx), today());
}

Result<ListView> CommitmentsService::admin_list(const auth::Actor& actor, const ListQuery& q) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  store::ListFilter f;
  if (q.mine) {
    XF_TRY(auto member, member_of(*tx, actor));
    if (!member) return ListView{{}, 0, today()};
    f.shard_id = member->shard_id;
    f.unit_id = member->unit_id;
    f.member_id = member->id;
  } else {
    XF_TRY(auto unit, organizations::store::find_unit_by_code(*tx, q.unit_code));
    if (!unit) return unit_not_found();
    XF_CHECK(auth::authorize(actor, auth::Action::view_unit_admin, ancestry(*unit)));
    f.shard_id = unit->shard_id;
    f.unit_id = unit->id;
    if (q.subtree) {
      f.path = unit->path;
      f.subtree_end = organizations::subtree_end(unit->path);
    }
  }
  std::string day = today();
  f.campaign_id = q.campaign_id;
  f.status = q.status;
  if (q.overdue_only) f.overdue_on = day;
  f.limit = std::clamp<int64_t>(q.page_size, 1, 100);
  f.offset = (std::max<int64_t>(q.page, 1) - 1) * f.limit;
  XF_TRY(auto page, store::list_commitments(*tx, f));
  return ListView{std::move(page.items), page.total, day};
}

Result<Board> CommitmentsService::board(std::string_view unit_code) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto unit, organizations::store::find_unit_by_code(*tx, unit_code));
  if (!unit || unit->status != organizations::UnitStatus::active) return unit_not_found();
  Board board;
  board.unit = brief(*unit);
  board.today = today();
  XF_TRY(auto active, campaigns::store::active_campaigns_covering(*tx, ancestry(*unit)));
  if (active.empty()) return board;
  const Campaign& campaign = active.front();
  board.campaign_id = campaign.id;
  board.campaign_name = campaign.name;
  XF_TRY(auto theme, campaigns::store::approved_theme(*tx, campaign, unit->id));
  if (theme) {
    BoardTheme t{theme->title, theme->reason, {}, {}};
    for (Id task_id : theme->central_task_ids) {
      XF_TRY(auto task, campaigns::store::find_central_task(*tx, campaign, task_id));
      if (task) t.central_tasks.push_back(task->title);
    }
    for (Id carrier_id : theme->carrier_ids) {
      XF_TRY(auto carrier, campaigns::store::find_carrier(*tx, campaign, carrier_id));
      if (carrier) t.carriers.push_back(carrier->name);
    }
    board.theme = std::move(t);
  }
  XF_TRY(auto plan, campaigns::store::plan_of(*tx, campaign, unit->id));
  if (plan && plan->status != campaigns::PlanStatus::draft) {
    BoardPlan bp{plan->id, plan->title, std::string(campaigns::status_name(plan->status)),
                 plan->closes_at, plan->adopted_at};
    XF_TRY(auto comments, campaigns::store::comments(*tx, *plan));
    for (const auto& c : comments) {
      if (c.hidden()) continue;
      ++bp.comments;
      if (c.answer == campaigns::Answer::adopted) ++bp.adopted;
      if (c.answer == campaigns::Answer::partly_adopted) ++bp.partly_adopted;
      if (c.answer == campaigns::Answer::not_adopted) ++bp.not_adopted;
    }
    board.plan = std::move(bp);
  }
  store::ListFilter f;
  f.shard_id = unit->shard_id;
  f.unit_id = unit->id;
  f.campaign_id = campaign.id;
  f.public_only = true;
  f.limit = 200;
  XF_TRY(auto page, store::list_commitments(*tx, f));
  std::vector<Id> ids;
  for (const auto& row : page.items) ids.push_back(row.commitment.id);
  XF_TRY(auto ratings, store::rating_counts_of(*tx, unit->shard_id, ids));
  XF_TRY(auto evidence, store::recent_evidence(*tx, unit->shard_id, ids, kBoardEvidence));
  for (auto& row : page.items) {
    BoardCommitment bc{std::move(row), {}, {}, false};
    Id cid = bc.row.commitment.id;
    for (const auto& [rid, counts] : ratings)
      if (rid == cid) bc.ratings = counts;
    for (const auto& e : evidence)
      if (e.commitment_id == cid) bc.evidence.push_back(e);
    bc.overdue = overdue(bc.row.commitment, board.today);
    board.commitments.push_back(std::move(bc));
  }
  return board;
}

Result<Weights> CommitmentsService::weights(Id campaign_id) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto campaign, campaigns::store::find_campaign(*tx, campaign_id));
  if (!campaign) return Error::not_found({"找不到该活动", "No such campaign"});
  XF_TRY(auto stored, store::weights(*tx, campaign->shard_id, campaign->id));
  return stored.value_or(Weights{});
}

Result<Weights> CommitmentsService::set_weights(const auth::Actor& actor, Id campaign_id,
                                                const Weights& w) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<Weights> {
    XF_TRY(auto campaign, campaigns::store::find_campaign(change.tx, campaign_id));
    if (!campaign) return Error::not_found({"找不到该活动", "No such campaign"});
    XF_TRY(auto owner, unit_by_id(change.tx, campaign->owner_unit_id));
    XF_CHECK(auth::authorize(actor, auth::Action::manage_campaigns, ancestry(owner)));
    XF_TRY(auto locked, campaigns::store::lock_campaign(change.tx, *campaign));
    if (!locked) return Error::not_found({"找不到该活动", "No such campaign"});
    XF_CHECK(campaigns::rules::can_change(locked->status));
    auto errors = validate_weights(w);
    if (!errors.empty()) return Error::invalid_fields(std::move(errors));
    XF_CHECK(store::put_weights(change.tx, campaign->shard_id, campaign->id, w, change.now_ms));
    change.record(organizations::audit_entry(
        actor, "commitment.weights", "campaign", id_to_string(campaign->id), owner,
        "self=" + std::to_string(w.self) + " peer=" + std::to_string(w.peer) +
            " public=" + std::to_string(w.public_) + " superior=" + std::to_string(w.superior)));
    return w;
  });
}

}  // namespace xf::commitments
