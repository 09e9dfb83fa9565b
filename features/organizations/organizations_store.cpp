#include "features/organizations/organizations_store.h"

#include <algorithm>

namespace xf::organizations::store {

namespace {

using storage::p;
using storage::Params;
using storage::Row;

constexpr std::string_view kUnitColumns =
    "u.shard_id, u.id, u.code, u.name, u.kind, u.field, u.parent_id, u.path, u.depth, "
    "u.contact_name, u.contact_phone, u.address, u.status, u.created_at, u.updated_at";
constexpr size_t kUnitColumnCount = 15;

constexpr std::string_view kMemberColumns =
    "m.shard_id, m.id, m.unit_id, m.name, m.post, m.joined_on, m.status, m.phone, m.id_number, "
    "m.account_id, m.created_at, m.updated_at";
constexpr size_t kMemberColumnCount = 12;

// Rows per multi-row INSERT: well under SQLite's 32766 and PostgreSQL's
// 65535 parameters, large enough that the demo county loads in a blink.
constexpr size_t kInsertBatch = 200;

// Builds a statement whose number of parameters depends on the input (IN
// lists, several scope ranges) while staying parameterised.
class Sql {
 public:
  explicit Sql(std::string_view text) : text_(text) {}
  Sql& operator<<(std::string_view text) {
    text_ += text;
    return *this;
  }
  // Appends a placeholder for `value`.
  Sql& bind(storage::Param value) {
    params_.push_back(std::move(value));
    text_ += "$" + std::to_string(params_.size());
    return *this;
  }
  const std::string& text() const { return text_; }
  const Params& params() const { return params_; }

 private:
  std::string text_;
  Params params_;
};

Unit unit_from(const Row& r, size_t at = 0) {
  Unit u;
  u.shard_id = r.int64(at + 0);
  u.id = r.int64(at + 1);
  u.code = r.text(at + 2);
  u.name = r.text(at + 3);
  u.kind = parse_kind(r.text(at + 4)).value_or(UnitKind::branch);
  u.field = r.text(at + 5);
  u.parent_id = r.opt_int64(at + 6);
  u.path = r.text(at + 7);
  u.depth = static_cast<int>(r.int64(at + 8));
  u.contact_name = r.text(at + 9);
  u.contact_phone = r.text(at + 10);
  u.address = r.text(at + 11);
  u.status = parse_unit_status(r.text(at + 12)).value_or(UnitStatus::active);
  u.created_at = r.int64(at + 13);
  u.updated_at = r.int64(at + 14);
  return u;
}

Member member_from(const Row& r) {
  Member m;
  m.shard_id = r.int64(0);
  m.id = r.int64(1);
  m.unit_id = r.int64(2);
  m.name = r.text(3);
  m.post = r.text(4);
  m.joined_on = r.text(5);
  m.status = parse_member_status(r.text(6)).value_or(MemberStatus::full);
  m.phone = r.opt_text(7);
  m.id_number = r.opt_text(8);
  m.account_id = r.opt_int64(9);
  m.created_at = r.int64(10);
  m.updated_at = r.int64(11);
  return m;
}

Result<std::optional<Unit>> one_unit(storage::Transaction& tx, const std::string& sql,
                                     const Params& params) {
  XF_TRY(auto row, tx.query_one(sql, params));
  if (!row) return std::optional<Unit>{};
  return std::optional<Unit>{unit_from(*row)};
}

Result<std::vector<Unit>> many_units(storage::Transaction& tx, const Sql& sql) {
  XF_TRY(auto rows, tx.query(sql.text(), sql.params()));
  std::vector<Unit> units;
  units.reserve(rows.size());
  for (const auto& r : rows) units.push_back(unit_from(r));
  return units;
}

// A node's counts as correlated subqueries: each is one probe of an index
// on (shard_id, parent_id) or (shard_id, unit_id).
std::string node_select(bool active_only) {
  std::string child_filter = active_only ? " AND c.status = 'active'" : "";
  return "SELECT " + std::string(kUnitColumns) +
         ", (SELECT COUNT(*) FROM units c WHERE c.shard_id = u.shard_id AND c.parent_id = u.id" +
         child_filter +
         "), (SELECT COUNT(*) FROM members m WHERE m.shard_id = u.shard_id AND m.unit_id = u.id "
         "AND m.removed_at IS NULL) FROM units u ";
}

Result<std::vector<UnitNode>> many_nodes(storage::Transaction& tx, const Sql& sql) {
  XF_TRY(auto rows, tx.query(sql.text(), sql.params()));
  std::vector<UnitNode> nodes;
  nodes.reserve(rows.size());
  for (const auto& r : rows)
    nodes.push_back({unit_from(r), r.int64(kUnitColumnCount), r.int64(kUnitColumnCount + 1)});
  return nodes;
}

// LIKE pattern for "contains `q` literally": %, _ and \ lose their meaning.
std::string contains_pattern(std::string_view q) {
  std::string pattern = "%";
  for (char c : q) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

// "(u.shard_id = $a AND u.path >= $b AND u.path < $c)" for one subtree.
void bind_subtree(Sql& sql, const Unit& root, std::string_view alias) {
  std::string a(alias);
  sql << "(" << a << ".shard_id = ";
  sql.bind(p(root.shard_id)) << " AND " << a << ".path >= ";
  sql.bind(p(root.path)) << " AND " << a << ".path < ";
  sql.bind(p(subtree_end(root.path))) << ")";
}

Status unit_code_taken(const Error& error, std::string_view code) {
  if (!storage::is_unique_violation(error)) return error;
  Error e = Error::conflict({"编码 " + std::string(code) + " 已被使用",
                             "The code " + std::string(code) + " is already taken"});
  e.fields.push_back({"code", e.message, {}});
  e.detail = error.detail;
  return e;
}

Status insert_unit_batch(storage::Transaction& tx, std::span<const Unit> batch) {
  Sql units(
      "INSERT INTO units (shard_id, id, code, name, kind, field, parent_id, path, depth, "
      "contact_name, contact_phone, address, status, created_at, updated_at) VALUES ");
  Sql codes("INSERT INTO unit_codes (code, shard_id, unit_id) VALUES ");
  for (size_t i = 0; i < batch.size(); ++i) {
    const Unit& u = batch[i];
    units << (i ? ", (" : "(");
    for (auto v : {p(u.shard_id), p(u.id), p(u.code), p(u.name), p(kind_name(u.kind)), p(u.field),
                   p(u.parent_id), p(u.path), p(u.depth), p(u.contact_name), p(u.contact_phone),
                   p(u.address), p(unit_status_name(u.status)), p(u.created_at), p(u.updated_at)}) {
      if (units.params().size() % kUnitColumnCount != 0) units << ", ";
      units.bind(v);
    }
    units << ")";
    codes << (i ? ", (" : "(");
    codes.bind(p(u.code)) << ", ";
    codes.bind(p(u.shard_id)) << ", ";
    codes.bind(p(u.id)) << ")";
  }
  // Codes first: a duplicate is then reported on the global table, whatever the shard.
  auto inserted_codes = tx.execute(codes.text(), codes.params());
  if (!inserted_codes.ok()) {
    if (batch.size() == 1) return unit_code_taken(inserted_codes.error(), batch[0].code);
    return unit_code_taken(inserted_codes.error(), "");
  }
  XF_TRY(auto n, tx.execute(units.text(), units.params()));
  (void)n;
  return {};
}

Status insert_member_batch(storage::Transaction& tx, std::span<const Member> batch) {
  Sql sql(
      "INSERT INTO members (shard_id, id, unit_id, name, post, joined_on, status, phone, "
      "id_number, account_id, created_at, updated_at) VALUES ");
  for (size_t i = 0; i < batch.size(); ++i) {
    const Member& m = batch[i];
    sql << (i ? ", (" : "(");
    for (auto v : {p(m.shard_id), p(m.id), p(m.unit_id), p(m.name), p(m.post), p(m.joined_on),
                   p(member_status_name(m.status)), p(m.phone), p(m.id_number), p(m.account_id),
                   p(m.created_at), p(m.updated_at)}) {
      if (sql.params().size() % kMemberColumnCount != 0) sql << ", ";
      sql.bind(v);
    }
    sql << ")";
  }
  XF_TRY(auto n, tx.execute(sql.text(), sql.params()));
  (void)n;
  return {};
}

template <typename T, typename Insert>
Status in_batches(std::span<const T> items, Insert insert) {
  for (size_t at = 0; at < items.size(); at += kInsertBatch)
    XF_CHECK(insert(items.subspan(at, std::min(kInsertBatch, items.size() - at))));
  return {};
}

auth::UnitRef ref_of(const Unit& u) {
  return {u.id, u.code, u.name, u.shard_id, ancestry_from_path(u.path)};
}

Error unit_not_found() {
  return Error::not_found({"找不到该单位", "No such unit"});
}

}  // namespace

Result<std::optional<Unit>> find_unit_by_code(storage::Transaction& tx, std::string_view code) {
  return one_unit(tx,
                  "SELECT " + std::string(kUnitColumns) +
                      " FROM unit_codes c JOIN units u ON u.shard_id = c.shard_id AND u.id = "
                      "c.unit_id WHERE c.code = $1",
                  {p(code)});
}

Result<std::optional<Unit>> find_unit_by_id(storage::Transaction& tx, Id id) {
  return one_unit(tx,
                  "SELECT " + std::string(kUnitColumns) +
                      " FROM unit_codes c JOIN units u ON u.shard_id = c.shard_id AND u.id = "
                      "c.unit_id WHERE c.unit_id = $1",
                  {p(id)});
}

Result<std::optional<Unit>> lock_unit(storage::Transaction& tx, const Unit& unit) {
  XF_TRY(auto n,
         tx.execute("UPDATE units SET updated_at = updated_at WHERE shard_id = $1 AND id = $2",
                    {p(unit.shard_id), p(unit.id)}));
  (void)n;
  return one_unit(
      tx,
      "SELECT " + std::string(kUnitColumns) + " FROM units u WHERE u.shard_id = $1 AND u.id = $2",
      {p(unit.shard_id), p(unit.id)});
}

Result<std::vector<UnitNode>> children(storage::Transaction& tx, const Unit& parent,
                                       bool active_only) {
  Sql sql(node_select(active_only));
  sql << "WHERE u.shard_id = ";
  sql.bind(p(parent.shard_id)) << " AND u.parent_id = ";
  sql.bind(p(parent.id));
  if (active_only) sql << " AND u.status = 'active'";
  sql << " ORDER BY u.code";
  return many_nodes(tx, sql);
}

Result<std::vector<UnitNode>> roots(storage::Transaction& tx, bool active_only) {
  Sql sql(node_select(active_only));
  sql << "WHERE u.parent_id IS NULL";
  if (active_only) sql << " AND u.status = 'active'";
  sql << " ORDER BY u.code";
  return many_nodes(tx, sql);
}

Result<std::vector<UnitNode>> nodes_by_ids(storage::Transaction& tx, std::span<const Id> ids) {
  if (ids.empty()) return std::vector<UnitNode>{};
  Sql sql(node_select(false));
  sql << "JOIN unit_codes k ON k.shard_id = u.shard_id AND k.unit_id = u.id WHERE k.unit_id IN (";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) sql << ", ";
    sql.bind(p(ids[i]));
  }
  sql << ") ORDER BY u.code";
  return many_nodes(tx, sql);
}

Result<UnitNode> node_of(storage::Transaction& tx, const Unit& unit, bool active_only) {
  Sql sql(node_select(active_only));
  sql << "WHERE u.shard_id = ";
  sql.bind(p(unit.shard_id)) << " AND u.id = ";
  sql.bind(p(unit.id));
  XF_TRY(auto nodes, many_nodes(tx, sql));
  if (nodes.empty()) return unit_not_found();
  return std::move(nodes.front());
}

Result<std::vector<Unit>> ancestors(storage::Transaction& tx, const Unit& unit) {
  auto ids = ancestry_from_path(unit.path);
  ids.pop_back();
  if (ids.empty()) return std::vector<Unit>{};
  Sql sql("SELECT " + std::string(kUnitColumns) + " FROM units u WHERE u.shard_id = ");
  sql.bind(p(unit.shard_id)) << " AND u.id IN (";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) sql << ", ";
    sql.bind(p(ids[i]));
  }
  sql << ") ORDER BY u.depth";
  return many_units(tx, sql);
}

Result<std::vector<Unit>> search(storage::Transaction& tx, std::string_view q,
                                 std::span<const Unit> scope_roots, int limit) {
  Sql sql("SELECT " + std::string(kUnitColumns) + " FROM units u WHERE (u.name LIKE ");
  std::string pattern = contains_pattern(q);
  sql.bind(p(pattern)) << " ESCAPE '\\' OR u.code LIKE ";
  sql.bind(p(pattern)) << " ESCAPE '\\')";
  for (size_t i = 0; i < scope_roots.size(); ++i) {
    sql << (i ? " OR " : " AND (");
    bind_subtree(sql, scope_roots[i], "u");
  }
  if (!scope_roots.empty()) sql << ")";
  sql << " ORDER BY u.path LIMIT ";
  sql.bind(p(limit));
  return many_units(tx, sql);
}

std::string subtree_sql() {
  return "SELECT " + std::string(kUnitColumns) +
         " FROM units u WHERE u.shard_id = $1 AND u.path >= $2 AND u.path < $3 ORDER BY u.path";
}

Result<std::vector<Unit>> subtree(storage::Transaction& tx, const Unit& root) {
  XF_TRY(auto rows,
         tx.query(subtree_sql(), {p(root.shard_id), p(root.path), p(subtree_end(root.path))}));
  std::vector<Unit> units;
  for (const auto& r : rows) units.push_back(unit_from(r));
  return units;
}

Result<bool> any_unit(storage::Transaction& tx) {
  XF_TRY(auto rows, tx.query("SELECT 1 FROM unit_codes LIMIT 1"));
  return !rows.empty();
}

Result<std::vector<Field>> fields(storage::Transaction& tx) {
  XF_TRY(auto rows,
         tx.query("SELECT code, name_zh, name_en FROM fields ORDER BY sort_order, code"));
  std::vector<Field> out;
  for (const auto& r : rows) out.push_back({r.text(0), r.text(1), r.text(2)});
  return out;
}

Result<std::optional<Field>> find_field(storage::Transaction& tx, std::string_view code) {
  XF_TRY(auto row,
         tx.query_one("SELECT code, name_zh, name_en FROM fields WHERE code = $1", {p(code)}));
  if (!row) return std::optional<Field>{};
  return std::optional<Field>{Field{row->text(0), row->text(1), row->text(2)}};
}

Status insert_units(storage::Transaction& tx, std::span<const Unit> units) {
  return in_batches(units, [&](std::span<const Unit> b) { return insert_unit_batch(tx, b); });
}

Status update_unit(storage::Transaction& tx, const Unit& u) {
  XF_TRY(auto n, tx.execute("UPDATE units SET name = $1, kind = $2, field = $3, contact_name = $4, "
                            "contact_phone = $5, address = $6, status = $7, updated_at = $8 "
                            "WHERE shard_id = $9 AND id = $10",
                            {p(u.name), p(kind_name(u.kind)), p(u.field), p(u.contact_name),
                             p(u.contact_phone), p(u.address), p(unit_status_name(u.status)),
                             p(u.updated_at), p(u.shard_id), p(u.id)}));
  if (n != 1) return unit_not_found();
  return {};
}

Status move_subtree(storage::Transaction& tx, const Unit& unit, const Unit& new_parent,
                    int64_t now_ms) {
  std::string new_path = child_path(new_parent.path, unit.id);
  int depth_change = (new_parent.depth + 1) - unit.depth;
  // One statement for the whole subtree: the old prefix is swapped for the
  // new one; CASTs keep the parameter types plain on both databases.
  XF_TRY(auto moved,
         tx.execute("UPDATE units SET path = CAST($1 AS VARCHAR(1000)) || substr(path, CAST($2 AS "
                    "INTEGER)), depth = depth + CAST($3 AS INTEGER), updated_at = $4 "
                    "WHERE shard_id = $5 AND path >= $6 AND path < $7",
                    {p(new_path), p(static_cast<int64_t>(unit.path.size() + 1)), p(depth_change),
                     p(now_ms), p(unit.shard_id), p(unit.path), p(subtree_end(unit.path))}));
  (void)moved;
  XF_TRY(auto n, tx.execute("UPDATE units SET parent_id = $1 WHERE shard_id = $2 AND id = $3",
                            {p(new_parent.id), p(unit.shard_id), p(unit.id)}));
  if (n != 1) return unit_not_found();
  return {};
}

Result<int64_t> count_active_children(storage::Transaction& tx, const Unit& unit) {
  XF_TRY(auto row, tx.query_one("SELECT COUNT(*) FROM units WHERE shard_id = $1 AND parent_id = $2 "
                                "AND status = 'active'",
                                {p(unit.shard_id), p(unit.id)}));
  return row ? row->int64(0) : 0;
}

Result<int64_t> count_members(storage::Transaction& tx, const Unit& unit) {
  XF_TRY(auto row, tx.query_one("SELECT COUNT(*) FROM members WHERE shard_id = $1 AND unit_id = $2 "
                                "AND removed_at IS NULL",
                                {p(unit.shard_id), p(unit.id)}));
  return row ? row->int64(0) : 0;
}

Status insert_members(storage::Transaction& tx, std::span<const Member> members) {
  return in_batches(members, [&](std::span<const Member> b) { return insert_member_batch(tx, b); });
}

Status update_member(storage::Transaction& tx, const Member& m) {
  XF_TRY(auto n,
         tx.execute("UPDATE members SET unit_id = $1, name = $2, post = $3, joined_on = $4, "
                    "status = $5, phone = $6, id_number = $7, updated_at = $8, account_id = $11 "
                    "WHERE shard_id = $9 AND id = $10 AND removed_at IS NULL",
                    {p(m.unit_id), p(m.name), p(m.post), p(m.joined_on),
                     p(member_status_name(m.status)), p(m.phone), p(m.id_number), p(m.updated_at),
                     p(m.shard_id), p(m.id), p(m.account_id)}));
  if (n != 1) return Error::not_found({"找不到该党员", "No such member"});
  return {};
}

Status remove_member(storage::Transaction& tx, const Member& m, int64_t now_ms) {
  XF_TRY(auto n, tx.execute("UPDATE members SET removed_at = $1, updated_at = $1 "
                            "WHERE shard_id = $2 AND id = $3 AND removed_at IS NULL",
                            {p(now_ms), p(m.shard_id), p(m.id)}));
  if (n != 1) return Error::not_found({"找不到该党员", "No such member"});
  return {};
}

Result<std::optional<Member>> find_member(storage::Transaction& tx, Id id) {
  XF_TRY(auto row, tx.query_one("SELECT " + std::string(kMemberColumns) +
                                    " FROM members m WHERE m.id = $1 AND m.removed_at IS NULL",
                                {p(id)}));
  if (!row) return std::optional<Member>{};
  return std::optional<Member>{member_from(*row)};
}

Result<MemberPage> list_members(storage::Transaction& tx, const Unit& unit,
                                const MemberQuery& query) {
  // FROM and WHERE shared by the count and the page.
  auto where = [&](Sql& sql) {
    sql << " FROM members m JOIN units u ON u.shard_id = m.shard_id AND u.id = m.unit_id "
           "WHERE m.removed_at IS NULL AND ";
    if (query.subtree) {
      bind_subtree(sql, unit, "u");
    } else {
      sql << "m.shard_id = ";
      sql.bind(p(unit.shard_id)) << " AND m.unit_id = ";
      sql.bind(p(unit.id));
    }
    if (!query.q.empty()) {
      sql << " AND m.name LIKE ";
      sql.bind(p(contains_pattern(query.q))) << " ESCAPE '\\'";
    }
  };
  Sql count("SELECT COUNT(*)");
  where(count);
  XF_TRY(auto total, tx.query_one(count.text(), count.params()));

  Sql page("SELECT " + std::string(kMemberColumns) + ", u.code, u.name");
  where(page);
  page << " ORDER BY u.path, m.name, m.id LIMIT ";
  page.bind(p(query.limit)) << " OFFSET ";
  page.bind(p(query.offset));
  XF_TRY(auto rows, tx.query(page.text(), page.params()));

  MemberPage result;
  result.total = total ? total->int64(0) : 0;
  for (const auto& r : rows)
    result.items.push_back(
        {member_from(r), r.text(kMemberColumnCount), r.text(kMemberColumnCount + 1)});
  return result;
}

Result<auth::UnitRef> UnitDirectory::find_by_code(storage::Transaction& tx, std::string_view code) {
  XF_TRY(auto unit, store::find_unit_by_code(tx, code));
  if (!unit) return unit_not_found();
  return ref_of(*unit);
}

Result<auth::UnitRef> UnitDirectory::find_by_id(storage::Transaction& tx, Id id) {
  XF_TRY(auto unit, store::find_unit_by_id(tx, id));
  if (!unit) return unit_not_found();
  return ref_of(*unit);
}

}  // namespace xf::organizations::store
