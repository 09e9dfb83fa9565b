#include "features/requests/requests_service.h"

#include <algorithm>
#include <map>

#include "features/organizations/organizations_service.h"
#include "features/organizations/organizations_store.h"
#include "platform/audit/write.h"
#include "platform/core/crypto.h"

namespace xf::requests {

namespace org = organizations;

namespace {

constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;

Error problem_not_found() {
  return Error::not_found({"找不到该问题", "No such problem"});
}
Error unit_not_found(std::string_view field) {
  Error e = Error::not_found({"找不到该单位", "No such unit"});
  e.fields.push_back({std::string(field), e.message, {}});
  return e;
}
Error changed_meanwhile() {
  return Error::conflict({"该问题刚被他人处理,请刷新后再试",
                          "Someone else changed the problem just now; reload and try again"});
}
Error not_the_reporter() {
  Error e = Error::permission_denied();
  e.message = {"只有反映人(登录账号或查询码)可以确认或要求重办",
               "Only the reporter (by account or tracking token) may confirm or reopen"};
  return e;
}

// A resident without an account, as the audit names them.
auth::Actor anonymous_actor() {
  auth::Actor actor;
  actor.username = "anonymous";
  actor.display_name = "群众";
  return actor;
}

const auth::Actor& actor_of(const Caller& caller) {
  static const auth::Actor anonymous = anonymous_actor();
  return caller.actor ? *caller.actor : anonymous;
}

std::string author_of(const Caller& caller) {
  if (!caller.actor) return "群众";
  return caller.actor->display_name.empty() ? caller.actor->username : caller.actor->display_name;
}

Status authorize_on(const auth::Actor& actor, auth::Action action, const org::Unit& unit) {
  return auth::authorize(actor, action, org::ancestry_from_path(unit.path));
}

bool is_inside(const org::Unit& candidate, const org::Unit& root) {
  return candidate.shard_id == root.shard_id &&
         candidate.path.compare(0, root.path.size(), root.path) == 0;
}

// A version that moves even when two changes fall in the same millisecond.
int64_t next_version(const Problem& seen, int64_t now_ms) {
  return std::max(now_ms, seen.updated_at + 1);
}

store::ListFilter subtree_filter(const org::Unit& unit, bool subtree) {
  store::ListFilter f;
  f.shard_id = unit.shard_id;
  if (subtree) {
    f.path_from = unit.path;
    f.path_to = org::subtree_end(unit.path);
  } else {
    f.unit_id = unit.id;
  }
  return f;
}

void apply_query(store::ListFilter& f, const ListQuery& q, int64_t now_ms) {
  f.states = q.states;
  if (q.category) f.categories = {*q.category};
  f.from_ms = q.from_ms;
  f.to_ms = q.to_ms;
  f.overdue_only = q.overdue_only;
  f.now_ms = now_ms;
  f.offset = q.offset;
  f.limit = q.limit;
}

std::optional<int64_t> median(std::vector<int64_t> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  size_t mid = values.size() / 2;
  if (values.size() % 2 == 1) return values[mid];
  return (values[mid - 1] + values[mid]) / 2;
}

std::optional<FieldError> check_category_input(const Category& c) {
  bool code_ok = c.code.size() >= 2 && c.code.size() <= 60 &&
                 std::all_of(c.code.begin(), c.code.end(), [](char ch) {
                   return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
                 });
  if (!code_ok)
    return FieldError{
        "code",
        {"代码为 2-60 个小写字母、数字或连字符", "2-60 lower-case letters, digits or -"},
        {}};
  if (org::trimmed(c.name_zh).empty() || org::utf8_length(c.name_zh) > 100)
    return FieldError{
        "name_zh", {"请填写中文名称(不超过 100 字)", "Chinese name, 1-100 chars"}, {}};
  if (org::trimmed(c.name_en).empty() || org::utf8_length(c.name_en) > 100)
    return FieldError{
        "name_en", {"请填写英文名称(不超过 100 字)", "English name, 1-100 chars"}, {}};
  if (org::utf8_length(c.description) > 500)
    return FieldError{"description", {"说明不能超过 500 字", "At most 500 characters"}, {}};
  if (c.respond_days < 1 || c.respond_days > 60)
    return FieldError{"respond_days", {"应为 1-60 个工作日", "1 to 60 working days"}, {}};
  if (c.resolve_days < c.respond_days || c.resolve_days > 365)
    return FieldError{"resolve_days",
                      {"应不少于响应时限且不超过 365 个工作日",
                       "At least the respond limit and at most 365 working days"},
                      {}};
  if (c.confirm_days < 1 || c.confirm_days > 60)
    return FieldError{"confirm_days", {"应为 1-60 天", "1 to 60 days"}, {}};
  return std::nullopt;
}

// An installation-wide change (categories, applications): audited without a unit.
audit::Entry global_entry(const auth::Actor& actor, std::string action, std::string object_type,
                          std::string object_id, std::string summary) {
  audit::Entry e;
  e.actor_id = actor.account_id;
  e.actor_name = actor.username;
  e.action = std::move(action);
  e.object_type = std::move(object_type);
  e.object_id = std::move(object_id);
  e.summary = std::move(summary);
  return e;
}

}  // namespace

Figures figures_of(const std::vector<const store::FigureRow*>& rows, int64_t now_ms) {
  Figures f;
  std::vector<int64_t> response, resolution;
  for (const auto* r : rows) {
    ++f.total;
    if (is_open(r->state))
      ++f.open;
    else if (counts_as_fixed(r->state))
      ++f.fixed;
    else
      ++f.not_fixed;
    bool late_now = (r->state == State::submitted && now_ms > r->respond_due_at) ||
                    (is_open(r->state) && now_ms > r->resolve_due_at);
    if (late_now) ++f.overdue_now;
    if (r->accepted_at) {
      response.push_back(*r->accepted_at - r->submitted_at);
      if (*r->accepted_at > r->respond_due_at) ++f.responded_late;
    }
    if (r->resolved_at && counts_as_fixed(r->state)) {
      resolution.push_back(*r->resolved_at - r->submitted_at);
      if (*r->resolved_at > r->resolve_due_at) ++f.resolved_late;
    }
    if (r->grade) {
      ++f.graded;
      if (*r->grade != Grade::dissatisfied) ++f.satisfied;
    }
  }
  f.median_response_ms = median(std::move(response));
  f.median_resolution_ms = median(std::move(resolution));
  if (f.graded > 0)
    f.satisfaction_rate = static_cast<double>(f.satisfied) / static_cast<double>(f.graded);
  return f;
}

// ---- lookups -------------------------------------------------------------

Result<org::Unit> RequestsService::unit_by_code(storage::Transaction& tx, std::string_view code) {
  XF_TRY(auto unit, org::store::find_unit_by_code(tx, code));
  if (!unit) return unit_not_found("unit_code");
  return std::move(*unit);
}

Result<org::Unit> RequestsService::unit_by_id(storage::Transaction& tx, Id id) {
  XF_TRY(auto unit, org::store::find_unit_by_id(tx, id));
  if (!unit) return Error::internal("problem's unit " + std::to_string(id) + " is missing");
  return std::move(*unit);
}

Result<Problem> RequestsService::load(storage::Transaction& tx, Id id) {
  XF_TRY(auto p, store::find_problem(tx, id));
  if (!p) return problem_not_found();
  return std::move(*p);
}

Result<ProblemView> RequestsService::view(storage::Transaction& tx, Problem p) {
  ProblemView v;
  XF_TRY(v.unit, unit_by_id(tx, p.unit_id));
  XF_TRY(v.reported_unit, unit_by_id(tx, p.reported_unit_id));
  XF_TRY(auto category, store::find_category(tx, p.category));
  if (!category) return Error::internal("problem's category is missing");
  v.category = std::move(*category);
  XF_TRY(v.timeline, store::events(tx, p));
  XF_TRY(v.reopen_asks, store::reopen_asks(tx, p));
  XF_TRY(v.commitments, store::commitments_of(tx, p));
  if (p.assigned_member_id) {
    XF_TRY(v.assigned_member_name, store::member_name(tx, p.shard_id, *p.assigned_member_id));
  }
  v.problem = std::move(p);
  return v;
}

Status RequestsService::rate_limit(storage::Transaction& tx, std::string key, int64_t limit,
                                   int64_t now_ms) {
  XF_TRY(auto counted, store::count_submission(tx, key, now_ms, limits_.window_ms));
  if (counted.count <= limit) return {};
  int64_t wait_ms = counted.window_start_ms + limits_.window_ms - now_ms;
  return Error::rate_limited(static_cast<int>(std::max<int64_t>(1, (wait_ms + 999) / 1000)));
}

Result<bool> RequestsService::is_reporter(storage::Transaction& tx, const Caller& caller,
                                          const Problem& p) {
  if (caller.actor && p.reporter_account_id && caller.actor->account_id == *p.reporter_account_id)
    return true;
  if (!caller.token || caller.token->empty()) return false;
  return store::token_names(tx, sha256_hex(*caller.token), "tracking", p.id);
}

// ---- categories ----------------------------------------------------------

Result<std::vector<Category>> RequestsService::categories_for_unit(std::string_view unit_code) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto unit, unit_by_code(*tx, unit_code));
  return store::categories(*tx, std::string_view(unit.field), true);
}

Result<std::vector<Category>> RequestsService::categories(bool active_only) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  return store::categories(*tx, std::nullopt, active_only);
}

Result<Category> RequestsService::category(std::string_view code) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto c, store::find_category(*tx, code));
  if (!c) return Error::not_found({"没有这个类别", "No such category"});
  return std::move(*c);
}

namespace {
// The category lists are shared by every unit of a field, so only those who
// may configure a top-level unit edit them.
Status authorize_configure(storage::Transaction& tx, const auth::Actor& actor) {
  auto scope = auth::scope_for(actor, auth::Action::configure_requests);
  if (scope.all) return {};
  for (Id root : scope.roots) {
    XF_TRY(auto unit, org::store::find_unit_by_id(tx, root));
    if (unit && unit->depth == 0) return {};
  }
  return Error::permission_denied();
}
}  // namespace

Result<Category> RequestsService::create_category(const auth::Actor& actor, const Category& c) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<Category> {
    XF_CHECK(authorize_configure(change.tx, actor));
    if (auto e = check_category_input(c)) return Error::invalid_fields({*e});
    XF_TRY(auto field, org::store::find_field(change.tx, c.field));
    if (!field) return Error::invalid("field", {"没有这个领域", "No such field"});
    XF_TRY(auto existing, store::find_category(change.tx, c.code));
    if (existing) return Error::invalid("code", {"该代码已被使用", "The code is taken"});
    XF_CHECK(store::insert_category(change.tx, c));
    change.record(global_entry(actor, "request_category.create", "request_category", c.code,
                               c.field + " " + c.name_zh));
    return c;
  });
}

Result<Category> RequestsService::update_category(const auth::Actor& actor, const Category& c) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<Category> {
    XF_CHECK(authorize_configure(change.tx, actor));
    XF_TRY(auto existing, store::find_category(change.tx, c.code));
    if (!existing) return Error::not_found({"没有这个类别", "No such category"});
    Category updated = c;
    updated.field = existing->field;  // a category stays in its field
    if (auto e = check_category_input(updated)) return Error::invalid_fields({*e});
    XF_CHECK(store::update_category(change.tx, updated));
    change.record(global_entry(actor, "request_category.update", "request_category", c.code,
                               "respond=" + std::to_string(updated.respond_days) +
                                   " resolve=" + std::to_string(updated.resolve_days) +
                                   " active=" + (updated.active ? "1" : "0")));
    return updated;
  });
}

// ---- intake ----------------------------------------------------------------

Result<Submitted> RequestsService::submit(const Caller& caller, const IntakeInput& input,
                                          std::string_view source, std::optional<Id> app_id) {
  auto errors = validate_intake(input);
  if (!errors.empty()) return Error::invalid_fields(std::move(errors));
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<Submitted> {
    auto& tx = change.tx;
    XF_TRY(auto unit, unit_by_code(tx, input.unit_code));
    if (unit.status != org::UnitStatus::active)
      return Error::invalid("unit_code", {"该单位已撤销", "The unit is closed"});
    XF_TRY(auto category, store::find_category(tx, input.category));
    if (!category || !category->active || category->field != unit.field)
      return Error::invalid("category",
                            {"该单位没有这个问题类别", "The unit has no such category"});
    for (Id upload : input.photo_ids) XF_CHECK(uploads_.check(tx, upload, "photo_ids"));
    if (app_id)
      XF_CHECK(rate_limit(tx, "app:" + id_to_string(*app_id), limits_.per_app, change.now_ms));
    else if (caller.actor)
      XF_CHECK(rate_limit(tx, "account:" + id_to_string(caller.actor->account_id),
                          limits_.per_account, change.now_ms));
    else
      XF_CHECK(rate_limit(tx, "address:" + caller.address, limits_.per_address, change.now_ms));

    // The nearest committee's rule for the category decides who handles it.
    org::Unit handler = unit;
    XF_TRY(auto rule, store::nearest_rule(tx, unit.shard_id, org::ancestry_from_path(unit.path),
                                          category->code));
    if (rule) {
      XF_TRY(auto target, unit_by_id(tx, rule->target_unit_id));
      if (target.status == org::UnitStatus::active) handler = std::move(target);
    }

    Problem p;
    p.id = random_.next_id();
    p.shard_id = unit.shard_id;
    p.category = category->code;
    p.description = org::trimmed(input.description);
    p.reported_unit_id = unit.id;
    p.unit_id = handler.id;
    p.address = org::trimmed(input.address);
    p.lat = input.lat;
    p.lon = input.lon;
    p.contact_phone = input.contact_phone;
    p.contact_email = input.contact_email;
    if (caller.actor) p.reporter_account_id = caller.actor->account_id;
    p.source = std::string(source);
    p.submitted_at = change.now_ms;
    p.updated_at = change.now_ms;
    XF_TRY(p.respond_due_at,
           working_days_.add_working_days(tx, change.now_ms, category->respond_days));
    XF_TRY(p.resolve_due_at,
           working_days_.add_working_days(tx, change.now_ms, category->resolve_days));
    p.photo_ids = input.photo_ids;
    XF_CHECK(store::insert_problem(tx, p));

    Submitted out;
    if (!caller.actor) {
      out.tracking_token = random_.hex_token(32);
      XF_CHECK(store::insert_token(tx, sha256_hex(*out.tracking_token), "tracking", p));
    }
    out.open311_token = random_.hex_token(16);
    XF_CHECK(store::insert_token(tx, sha256_hex(out.open311_token), "open311", p));
    std::string routed = handler.id == unit.id ? "" : " routed to " + handler.code;
    XF_CHECK(store::insert_event(tx, {random_.next_id(), p.shard_id, p.id, change.now_ms, "submit",
                                      p.state, author_of(caller), routed}));
    change.record(org::audit_entry(actor_of(caller), "request.submit", "request",
                                   id_to_string(p.id), handler,
                                   category->code + " at " + unit.code + routed));
    out.problem = std::move(p);
    return out;
  });
}

Result<std::vector<store::ListRow>> RequestsService::similar_open(std::string_view unit_code,
                                                                  std::string_view category) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto unit, unit_by_code(*tx, unit_code));
  store::ListFilter f;
  f.shard_id = unit.shard_id;
  f.reported_unit_id = unit.id;
  f.categories = {std::string(category)};
  f.states = {State::submitted, State::accepted, State::in_progress};
  f.limit = 20;
  return store::list(*tx, f);
}

// ---- public reads ----------------------------------------------------------

Result<ProblemView> RequestsService::problem(Id id) {
  XF_TRY(int closed, close_stale());
  (void)closed;
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto p, load(*tx, id));
  return view(*tx, std::move(p));
}

Result<Id> RequestsService::problem_of_tracking_token(std::string_view token) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto id, store::problem_of_token(*tx, sha256_hex(token), "tracking"));
  if (!id) return problem_not_found();
  return *id;
}

Result<Id> RequestsService::problem_of_open311_token(std::string_view token) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto id, store::problem_of_token(*tx, sha256_hex(token), "open311"));
  if (!id) return problem_not_found();
  return *id;
}

Result<Page> RequestsService::list(const store::ListFilter& filter) {
  XF_TRY(int closed, close_stale());
  (void)closed;
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  Page page;
  XF_TRY(page.items, store::list(*tx, filter));
  XF_TRY(page.total, store::count(*tx, filter));
  return page;
}

Result<Page> RequestsService::unit_problems(std::string_view unit_code, const ListQuery& query) {
  store::ListFilter f;
  {
    XF_TRY(auto tx, db_.begin(storage::Access::read));
    XF_TRY(auto unit, unit_by_code(*tx, unit_code));
    f = subtree_filter(unit, query.subtree);
  }
  apply_query(f, query, to_epoch_ms(clock_.now()));
  return list(f);
}

Result<Figures> RequestsService::unit_figures(std::string_view unit_code) {
  XF_TRY(int closed, close_stale());
  (void)closed;
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto unit, unit_by_code(*tx, unit_code));
  XF_TRY(auto rows, store::figure_rows(*tx, subtree_filter(unit, true)));
  std::vector<const store::FigureRow*> all;
  for (const auto& r : rows) all.push_back(&r);
  return figures_of(all, to_epoch_ms(clock_.now()));
}

// ---- public changes --------------------------------------------------------

Status RequestsService::add_update(const Caller& caller, Id id, std::string_view text) {
  std::string body = org::trimmed(text);
  if (body.empty()) return Error::invalid("text", {"请填写内容", "Write something"});
  if (org::utf8_length(body) > kMaxDescription)
    return Error::invalid("text", {"不能超过 4000 字", "At most 4000 characters"});
  auto done = audit::write(db_, clock_, [&](audit::Change& change) -> Result<bool> {
    XF_TRY(auto p, load(change.tx, id));
    XF_TRY(auto unit, unit_by_id(change.tx, p.unit_id));
    XF_CHECK(rate_limit(change.tx, "update:" + caller.address, limits_.updates_per_address,
                        change.now_ms));
    // A handler's update speaks for the unit.
    bool for_unit =
        caller.actor && authorize_on(*caller.actor, auth::Action::handle_requests, unit).ok();
    std::string author = for_unit ? unit.name : author_of(caller);
    XF_CHECK(store::insert_event(change.tx, {random_.next_id(), p.shard_id, p.id, change.now_ms,
                                             "update", p.state, author, body}));
    change.record(org::audit_entry(actor_of(caller), "request.update", "request",
                                   id_to_string(p.id), unit, "public update"));
    return true;
  });
  if (!done.ok()) return std::move(done).error();
  return {};
}

Result<Problem> RequestsService::reporter_step(const Caller& caller, Id id, Step step,
                                               std::string_view body, std::optional<Grade> grade) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<Problem> {
    XF_TRY(Problem seen, load(change.tx, id));
    XF_TRY(bool mine, is_reporter(change.tx, caller, seen));
    if (!mine) return not_the_reporter();
    XF_TRY(State next, next_state(seen.state, step));
    if (seen.confirm_due_at && change.now_ms >= *seen.confirm_due_at)
      return Error::conflict({"确认期限已过,问题已按“办结(群众未确认)”关闭",
                              "The time to confirm is over; the problem closed unconfirmed"});
    Problem after = seen;
    after.state = next;
    after.updated_at = next_version(seen, change.now_ms);
    if (step == Step::confirm) {
      after.grade = grade;
      after.closed_at = change.now_ms;
    } else {  // reopen: work starts again, the confirm clock stops
      ++after.reopen_count;
      after.resolved_at.reset();
      after.confirm_due_at.reset();
    }
    XF_TRY(bool applied, store::update_problem(change.tx, seen, after));
    if (!applied) return changed_meanwhile();
    XF_TRY(auto unit, unit_by_id(change.tx, seen.unit_id));
    std::string text = grade ? std::string(grade_name_zh(*grade)) : std::string(body);
    XF_CHECK(store::insert_event(change.tx,
                                 {random_.next_id(), seen.shard_id, seen.id, change.now_ms,
                                  std::string(step_name(step)), after.state, "反映人", text}));
    change.record(org::audit_entry(actor_of(caller), "request." + std::string(step_name(step)),
                                   "request", id_to_string(seen.id), unit,
                                   grade ? std::string(grade_name(*grade)) : "reopened"));
    return after;
  });
}

Result<Problem> RequestsService::confirm(const Caller& caller, Id id, Grade grade) {
  return reporter_step(caller, id, Step::confirm, "", grade);
}

Result<Problem> RequestsService::reopen(const Caller& caller, Id id, std::string_view reason) {
  if (auto e = check_reason("reason", reason)) return Error::invalid_fields({*e});
  return reporter_step(caller, id, Step::reopen, org::trimmed(reason), std::nullopt);
}

Status RequestsService::ask_reopen(const Caller& caller, Id id, std::string_view reason) {
  if (auto e = check_reason("reason", reason)) return Error::invalid_fields({*e});
  auto done = audit::write(db_, clock_, [&](audit::Change& change) -> Result<bool> {
    XF_TRY(auto p, load(change.tx, id));
    // Asked of what the unit marked resolved; its answer reopens or declines.
    XF_TRY(State next, next_state(p.state, Step::grant_reopen_ask));
    (void)next;
    XF_CHECK(rate_limit(change.tx, "update:" + caller.address, limits_.updates_per_address,
                        change.now_ms));
    XF_TRY(auto unit, unit_by_id(change.tx, p.unit_id));
    std::string text = org::trimmed(reason);
    std::optional<Id> account;
    if (caller.actor) account = caller.actor->account_id;
    XF_CHECK(
        store::insert_reopen_ask(change.tx, p, random_.next_id(), change.now_ms, text, account));
    XF_CHECK(store::insert_event(change.tx, {random_.next_id(), p.shard_id, p.id, change.now_ms,
                                             "reopen_ask", p.state, author_of(caller), text}));
    change.record(org::audit_entry(actor_of(caller), "request.reopen_ask", "request",
                                   id_to_string(p.id), unit, "asked to reopen"));
    return true;
  });
  if (!done.ok()) return std::move(done).error();
  return {};
}

// ---- admin -----------------------------------------------------------------

Result<Page> RequestsService::queue(const auth::Actor& actor, std::string_view unit_code,
                                    const ListQuery& query) {
  store::ListFilter f;
  {
    XF_TRY(auto tx, db_.begin(storage::Access::read));
    XF_TRY(auto unit, unit_by_code(*tx, unit_code));
    XF_CHECK(authorize_on(actor, auth::Action::view_requests_admin, unit));
    f = subtree_filter(unit, query.subtree);
  }
  apply_query(f, query, to_epoch_ms(clock_.now()));
  return list(f);
}

Result<ProblemView> RequestsService::admin_problem(const auth::Actor& actor, Id id) {
  XF_TRY(auto v, problem(id));
  auto allowed = authorize_on(actor, auth::Action::view_requests_admin, v.unit);
  if (!allowed.ok()) {
    if (allowed.error().code == ErrorCode::not_found) return problem_not_found();
    return std::move(allowed).error();
  }
  return v;
}

Result<CommitteeFigures> RequestsService::figures(const auth::Actor& actor,
                                                  std::string_view unit_code,
                                                  std::optional<int64_t> from_ms,
                                                  std::optional<int64_t> to_ms) {
  XF_TRY(int closed, close_stale());
  (void)closed;
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  CommitteeFigures out;
  XF_TRY(out.unit, unit_by_code(*tx, unit_code));
  XF_CHECK(authorize_on(actor, auth::Action::view_requests_admin, out.unit));
  auto f = subtree_filter(out.unit, true);
  f.from_ms = from_ms;
  f.to_ms = to_ms;
  XF_TRY(auto rows, store::figure_rows(*tx, f));
  int64_t now = to_epoch_ms(clock_.now());

  std::vector<const store::FigureRow*> all, own;
  for (const auto& r : rows) {
    all.push_back(&r);
    if (r.unit_id == out.unit.id) own.push_back(&r);
  }
  out.total = figures_of(all, now);
  out.by_unit.push_back({out.unit.code, out.unit.name, figures_of(own, now)});
  XF_TRY(auto children, org::store::children(*tx, out.unit, false));
  for (const auto& child : children) {
    std::vector<const store::FigureRow*> inside;
    for (const auto& r : rows)
      if (r.unit_path.compare(0, child.unit.path.size(), child.unit.path) == 0)
        inside.push_back(&r);
    out.by_unit.push_back({child.unit.code, child.unit.name, figures_of(inside, now)});
  }
  XF_TRY(auto categories, store::categories(*tx, std::nullopt, false));
  for (const auto& c : categories) {
    std::vector<const store::FigureRow*> of_category;
    for (const auto& r : rows)
      if (r.category == c.code) of_category.push_back(&r);
    if (!of_category.empty())
      out.by_category.push_back({c.code, c.name_zh, figures_of(of_category, now)});
  }
  return out;
}

template <typename Change>
Result<Problem> RequestsService::unit_step(const auth::Actor& actor, Id id, Step step,
                                           auth::Action action, Change&& change_fields) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<Problem> {
    XF_TRY(Problem seen, load(change.tx, id));
    XF_TRY(auto unit, unit_by_id(change.tx, seen.unit_id));
    auto allowed = authorize_on(actor, action, unit);
    if (!allowed.ok()) {
      if (allowed.error().code == ErrorCode::not_found) return problem_not_found();
      return std::move(allowed).error();
    }
    XF_TRY(State next, next_state(seen.state, step));
    Problem after = seen;
    after.state = next;
    after.updated_at = next_version(seen, change.now_ms);
    // Fills in what the step changes; returns the timeline's text.
    XF_TRY(std::string body, change_fields(change.tx, unit, after, change.now_ms));
    XF_TRY(bool applied, store::update_problem(change.tx, seen, after));
    if (!applied) return changed_meanwhile();
    XF_CHECK(store::insert_event(change.tx,
                                 {random_.next_id(), seen.shard_id, seen.id, change.now_ms,
                                  std::string(step_name(step)), after.state, unit.name, body}));
    change.record(org::audit_entry(
        actor, "request." + std::string(step_name(step)), "request", id_to_string(seen.id), unit,
        std::string(state_name(seen.state)) + " -> " + std::string(state_name(after.state))));
    return after;
  });
}

Result<Problem> RequestsService::accept(const auth::Actor& actor, Id id, Id member_id) {
  return unit_step(actor, id, Step::accept, auth::Action::handle_requests,
                   [&](storage::Transaction& tx, const org::Unit& unit, Problem& after,
                       int64_t now) -> Result<std::string> {
                     XF_TRY(bool belongs,
                            store::member_belongs(tx, unit.shard_id, unit.id, member_id));
                     if (!belongs)
                       return Error::invalid(
                           "member_id", {"该党员不属于承办单位", "The member is not in the unit"});
                     after.assigned_member_id = member_id;
                     after.accepted_at = now;
                     XF_TRY(auto name, store::member_name(tx, unit.shard_id, member_id));
                     return "承办人:" + name.value_or("");
                   });
}

Result<Problem> RequestsService::start(const auth::Actor& actor, Id id) {
  return unit_step(actor, id, Step::start, auth::Action::handle_requests,
                   [](storage::Transaction&, const org::Unit&, Problem&,
                      int64_t) -> Result<std::string> { return std::string(); });
}

Result<Problem> RequestsService::resolve(const auth::Actor& actor, Id id,
                                         std::string_view resolution,
                                         const std::vector<Id>& evidence_ids) {
  std::string text = org::trimmed(resolution);
  if (text.empty()) return Error::invalid("resolution", {"请说明办理结果", "Say what was done"});
  if (org::utf8_length(text) > kMaxDescription)
    return Error::invalid("resolution", {"不能超过 4000 字", "At most 4000 characters"});
  if (auto e = check_upload_ids("evidence_ids", evidence_ids)) return Error::invalid_fields({*e});
  return unit_step(actor, id, Step::resolve, auth::Action::handle_requests,
                   [&](storage::Transaction& tx, const org::Unit&, Problem& after,
                       int64_t now) -> Result<std::string> {
                     for (Id upload : evidence_ids)
                       XF_CHECK(uploads_.check(tx, upload, "evidence_ids"));
                     XF_TRY(auto category, store::find_category(tx, after.category));
                     int confirm_days = category ? category->confirm_days : 7;
                     after.resolution = text;
                     after.resolved_at = now;
                     after.confirm_due_at = now + confirm_days * kDayMs;
                     XF_CHECK(store::set_evidence(tx, after, evidence_ids));
                     return text;
                   });
}

Result<Problem> RequestsService::refer_up(const auth::Actor& actor, Id id,
                                          std::string_view reason) {
  if (auto e = check_reason("reason", reason)) return Error::invalid_fields({*e});
  return unit_step(
      actor, id, Step::refer_up, auth::Action::handle_requests,
      [&](storage::Transaction& tx, const org::Unit& unit, Problem& after,
          int64_t) -> Result<std::string> {
        if (!unit.parent_id)
          return Error::conflict({"最上级单位不能再上报", "The top unit has no parent"});
        XF_TRY(auto parent, unit_by_id(tx, *unit.parent_id));
        after.unit_id = parent.id;
        after.assigned_member_id.reset();
        return "上报至 " + parent.name + ":" + org::trimmed(reason);
      });
}

Result<Problem> RequestsService::close(const auth::Actor& actor, Id id, Step step,
                                       std::string_view reason, std::optional<Id> duplicate_of) {
  if (step != Step::close_referred && step != Step::close_duplicate &&
      step != Step::close_unsolvable)
    return Error::invalid("outcome", {"结果不对", "Not a closing outcome"});
  if (step == Step::close_duplicate && !duplicate_of)
    return Error::invalid("duplicate_of", {"请指明重复的问题", "Name the problem it duplicates"});
  if (step != Step::close_duplicate)
    if (auto e = check_reason("reason", reason)) return Error::invalid_fields({*e});
  return unit_step(actor, id, step, auth::Action::handle_requests,
                   [&](storage::Transaction& tx, const org::Unit&, Problem& after,
                       int64_t now) -> Result<std::string> {
                     if (step == Step::close_duplicate) {
                       if (*duplicate_of == after.id)
                         return Error::invalid("duplicate_of", {"不能与自身重复", "Not itself"});
                       XF_TRY(auto original, store::find_problem(tx, *duplicate_of));
                       if (!original)
                         return Error::invalid("duplicate_of", {"找不到该问题", "No such problem"});
                       after.duplicate_of = *duplicate_of;
                     }
                     after.close_reason = org::trimmed(reason);
                     after.closed_at = now;
                     return *after.close_reason;
                   });
}

Result<Problem> RequestsService::answer_reopen_asks(const auth::Actor& actor, Id id, bool reopen,
                                                    std::string_view reason) {
  if (auto e = check_reason("reason", reason)) return Error::invalid_fields({*e});
  std::string text = org::trimmed(reason);
  auto answer = [&](storage::Transaction& tx, const org::Unit&, Problem& after,
                    int64_t now) -> Result<std::string> {
    XF_TRY(int64_t answered,
           store::answer_reopen_asks(tx, after, now, reopen ? "reopened" : "declined", text));
    if (answered == 0)
      return Error::conflict({"没有待答复的重办申请", "No reopen ask is waiting for an answer"});
    if (reopen) {
      ++after.reopen_count;
      after.resolved_at.reset();
      after.confirm_due_at.reset();
      after.closed_at.reset();
      after.grade.reset();
    }
    return std::string(reopen ? "同意重办:" : "不予重办:") + text;
  };
  if (reopen)
    return unit_step(actor, id, Step::grant_reopen_ask, auth::Action::handle_requests, answer);
  // Declining keeps the state; it is still a change of the problem's asks,
  // made by the unit, and goes through the same path with no state change.
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<Problem> {
    XF_TRY(Problem p, load(change.tx, id));
    XF_TRY(auto unit, unit_by_id(change.tx, p.unit_id));
    auto allowed = authorize_on(actor, auth::Action::handle_requests, unit);
    if (!allowed.ok()) {
      if (allowed.error().code == ErrorCode::not_found) return problem_not_found();
      return std::move(allowed).error();
    }
    XF_TRY(std::string body, answer(change.tx, unit, p, change.now_ms));
    XF_CHECK(store::insert_event(change.tx, {random_.next_id(), p.shard_id, p.id, change.now_ms,
                                             "decline_reopen_ask", p.state, unit.name, body}));
    change.record(org::audit_entry(actor, "request.decline_reopen_ask", "request",
                                   id_to_string(p.id), unit, "declined"));
    return p;
  });
}

Result<Problem> RequestsService::reassign(const auth::Actor& actor, Id id,
                                          std::string_view unit_code) {
  return unit_step(
      actor, id, Step::reassign, auth::Action::route_requests,
      [&](storage::Transaction& tx, const org::Unit& current, Problem& after,
          int64_t) -> Result<std::string> {
        XF_TRY(auto target, unit_by_code(tx, unit_code));
        auto allowed = authorize_on(actor, auth::Action::route_requests, target);
        if (!allowed.ok() || target.shard_id != current.shard_id)
          return unit_not_found("unit_code");
        if (target.status != org::UnitStatus::active)
          return Error::invalid("unit_code", {"该单位已撤销", "The unit is closed"});
        if (target.id == current.id)
          return Error::invalid("unit_code", {"已由该单位办理", "The unit handles it already"});
        after.unit_id = target.id;
        after.assigned_member_id.reset();
        after.accepted_at.reset();
        return "改派至 " + target.name;
      });
}

// ---- routing rules ---------------------------------------------------------

Result<std::vector<RuleView>> RequestsService::rules(const auth::Actor& actor,
                                                     std::string_view committee_code) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto committee, unit_by_code(*tx, committee_code));
  XF_CHECK(authorize_on(actor, auth::Action::route_requests, committee));
  XF_TRY(auto rows, store::rules_of(*tx, committee.shard_id, committee.id));
  std::vector<RuleView> out;
  for (const auto& r : rows) {
    XF_TRY(auto target, unit_by_id(*tx, r.target_unit_id));
    out.push_back({r.category, std::move(target)});
  }
  return out;
}

Status RequestsService::put_rule(const auth::Actor& actor, std::string_view committee_code,
                                 std::string_view category, std::string_view target_code) {
  auto done = audit::write(db_, clock_, [&](audit::Change& change) -> Result<bool> {
    XF_TRY(auto committee, unit_by_code(change.tx, committee_code));
    XF_CHECK(authorize_on(actor, auth::Action::route_requests, committee));
    if (committee.kind != org::UnitKind::committee)
      return Error::invalid("unit_code",
                            {"只有党委可以设置分派规则", "Only a committee sets routing rules"});
    XF_TRY(auto c, store::find_category(change.tx, category));
    if (!c) return Error::invalid("category", {"没有这个类别", "No such category"});
    XF_TRY(auto target, org::store::find_unit_by_code(change.tx, target_code));
    if (!target || !is_inside(*target, committee))
      return Error::invalid("target_unit_code",
                            {"承办单位须在本党委范围内", "The unit must be inside the committee"});
    XF_CHECK(store::put_rule(change.tx, committee.shard_id,
                             {committee.id, std::string(category), target->id}, change.now_ms));
    change.record(org::audit_entry(actor, "request_rule.put", "unit", id_to_string(committee.id),
                                   committee, std::string(category) + " -> " + target->code));
    return true;
  });
  if (!done.ok()) return std::move(done).error();
  return {};
}

Status RequestsService::delete_rule(const auth::Actor& actor, std::string_view committee_code,
                                    std::string_view category) {
  auto done = audit::write(db_, clock_, [&](audit::Change& change) -> Result<bool> {
    XF_TRY(auto committee, unit_by_code(change.tx, committee_code));
    XF_CHECK(authorize_on(actor, auth::Action::route_requests, committee));
    XF_TRY(int64_t deleted,
           store::delete_rule(change.tx, committee.shard_id, committee.id, category));
    if (deleted == 0) return Error::not_found({"没有这条规则", "No such rule"});
    change.record(org::audit_entry(actor, "request_rule.delete", "unit", id_to_string(committee.id),
                                   committee, std::string(category)));
    return true;
  });
  if (!done.ok()) return std::move(done).error();
  return {};
}

// ---- commitments -----------------------------------------------------------

Status RequestsService::link_commitment(const auth::Actor& actor, Id commitment_id,
                                        std::string_view unit_code,
                                        const std::vector<Id>& request_ids) {
  if (request_ids.empty())
    return Error::invalid("request_ids", {"请选择问题", "Pick at least one problem"});
  auto done = audit::write(db_, clock_, [&](audit::Change& change) -> Result<bool> {
    XF_TRY(auto unit, unit_by_code(change.tx, unit_code));
    XF_CHECK(authorize_on(actor, auth::Action::handle_requests, unit));
    for (Id id : request_ids) {
      XF_TRY(auto p, load(change.tx, id));
      XF_TRY(auto handler, unit_by_id(change.tx, p.unit_id));
      if (!is_inside(handler, unit))
        return Error::invalid("request_ids", {"问题须由本单位或下级单位承办",
                                              "Problems must be handled inside the unit"});
      XF_CHECK(store::link_commitment(change.tx, unit.shard_id, commitment_id, id, change.now_ms));
      change.record(org::audit_entry(actor, "request.link_commitment", "request", id_to_string(id),
                                     handler, "commitment " + id_to_string(commitment_id)));
    }
    return true;
  });
  if (!done.ok()) return std::move(done).error();
  return {};
}

Result<FulfilmentCheck> RequestsService::may_fulfil(std::string_view unit_code, Id commitment_id) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto unit, unit_by_code(*tx, unit_code));
  XF_TRY(auto ids, store::linked_requests(*tx, unit.shard_id, commitment_id));
  FulfilmentCheck check;
  for (Id id : ids) {
    XF_TRY(auto p, load(*tx, id));
    // Resolved but not yet confirmed may still be reopened by the reporter.
    if (is_open(p.state) || p.state == State::resolved) check.open_requests.push_back(id);
  }
  check.may_fulfil = check.open_requests.empty();
  return check;
}

Result<std::vector<store::ListRow>> RequestsService::commitment_requests(std::string_view unit_code,
                                                                         Id commitment_id) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto unit, unit_by_code(*tx, unit_code));
  XF_TRY(auto ids, store::linked_requests(*tx, unit.shard_id, commitment_id));
  std::vector<store::ListRow> out;
  for (Id id : ids) {
    store::ListFilter f;
    f.shard_id = unit.shard_id;
    f.id = id;
    XF_TRY(auto rows, store::list(*tx, f));
    for (auto& r : rows) out.push_back(std::move(r));
  }
  return out;
}

// ---- the unconfirmed close -------------------------------------------------

Result<Problem> RequestsService::expire(Id id) {
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<Problem> {
    XF_TRY(Problem seen, load(change.tx, id));
    XF_TRY(State next, next_state(seen.state, Step::expire));
    if (!seen.confirm_due_at || change.now_ms < *seen.confirm_due_at)
      return Error::conflict({"确认期限未到", "The time to confirm is not over"});
    Problem after = seen;
    after.state = next;
    after.closed_at = change.now_ms;
    after.updated_at = next_version(seen, change.now_ms);
    XF_TRY(bool applied, store::update_problem(change.tx, seen, after));
    if (!applied) return changed_meanwhile();
    XF_TRY(auto unit, unit_by_id(change.tx, seen.unit_id));
    XF_CHECK(
        store::insert_event(change.tx, {random_.next_id(), seen.shard_id, seen.id, change.now_ms,
                                        "expire", after.state, "系统", "反映人未在期限内确认"}));
    change.record(org::audit_entry(org::system_actor(), "request.expire", "request",
                                   id_to_string(seen.id), unit, "closed unconfirmed"));
    return after;
  });
}

Result<int> RequestsService::close_stale(int limit) {
  std::vector<Id> stale;
  {
    XF_TRY(auto tx, db_.begin(storage::Access::read));
    XF_TRY(stale, store::stale_resolved(*tx, to_epoch_ms(clock_.now()), limit));
  }
  int closed = 0;
  for (Id id : stale) {
    auto done = expire(id);
    if (done.ok())
      ++closed;
    else if (done.error().code != ErrorCode::conflict)  // another reader closed it first
      return std::move(done).error();
  }
  return closed;
}

// ---- Open311 applications --------------------------------------------------

Result<std::string> RequestsService::register_app(const auth::Actor& actor, std::string_view name) {
  std::string app_name = org::trimmed(name);
  if (app_name.empty() || org::utf8_length(app_name) > 100)
    return Error::invalid("name", {"请填写应用名称(不超过 100 字)", "Name, 1-100 characters"});
  if (!actor.is_system_admin()) return Error::permission_denied();
  return audit::write(db_, clock_, [&](audit::Change& change) -> Result<std::string> {
    Id id = random_.next_id();
    std::string key = random_.hex_token(24);
    XF_CHECK(store::insert_app(change.tx, id, app_name, sha256_hex(key), change.now_ms));
    change.record(
        global_entry(actor, "open311_app.register", "open311_app", id_to_string(id), app_name));
    return key;
  });
}

Result<Id> RequestsService::app_of_key(std::string_view api_key) {
  XF_TRY(auto tx, db_.begin(storage::Access::read));
  XF_TRY(auto id, store::app_of_key(*tx, sha256_hex(api_key)));
  if (!id) {
    Error e = Error::permission_denied();
    e.message = {"api_key 无效", "Invalid api_key"};
    return e;
  }
  return *id;
}

}  // namespace xf::requests
