#include "features/commitments/commitments_rules.h"

#include <string>

namespace xf::commitments::rules {
namespace {

Error refused(std::string zh, std::string en) {
  return Error::conflict({std::move(zh), std::move(en)});
}

bool due_or_complete(const Commitment& c, std::string_view today) {
  return c.due_on <= today || c.completed_on.has_value();
}

}  // namespace

Status can_edit_draft(State s) {
  if (s == State::draft) return {};
  if (s == State::submitted)
    return refused("承诺已提交审核,审核退回后才能修改",
                   "The commitment is under review; it can be edited once returned");
  return refused("承诺已公开,只能以修订方式修改并公开修改记录",
                 "The commitment is public; change it as a revision, which the public sees");
}

Status can_revise(State s) {
  if (s == State::published) return {};
  if (s == State::closed)
    return refused("承诺已评定,不能再修改",
                   "The commitment has been judged and can no longer change");
  return refused("承诺尚未公开,请直接修改草稿", "The commitment is not public yet; edit the draft");
}

Status can_submit(State s) {
  if (s == State::draft) return {};
  return refused("只有草稿可以提交(提诺)", "Only a draft can be submitted");
}

Status can_vet(State s) {
  if (s == State::submitted) return {};
  return refused("只有已提交的承诺可以审核(审诺)", "Only a submitted commitment can be vetted");
}

Status can_report_progress(State s) {
  if (s == State::published) return {};
  return refused("只有已公开且未评定的承诺可以报告进展(践诺)",
                 "Progress is reported on a published commitment that is not yet judged");
}

Status can_rate(State s) {
  if (s == State::published) return {};
  return refused("只能评价公开中的承诺",
                 "Only a public commitment that is not yet judged can be rated");
}

Status can_review(const Commitment& c, std::string_view today) {
  if (c.status != State::published)
    return refused("只有公开中的承诺可以评议(评诺)", "Only a public commitment can be reviewed");
  if (!due_or_complete(c, today))
    return refused("承诺到期(" + c.due_on + ")或全部完成后才能评议",
                   "Reviews open when the commitment is due (" + c.due_on + ") or complete");
  return {};
}

Status can_close(const Commitment& c, std::string_view today, bool has_self, bool has_superior) {
  XF_CHECK(can_review(c, today));
  if (!has_self) return refused("还没有自评", "The self-assessment is missing");
  if (!has_superior) return refused("还没有上级点评", "The superior's comment is missing");
  return {};
}

Status can_fulfil(Grade result, int64_t open_linked_problems) {
  if (result != Grade::fulfilled || open_linked_problems == 0) return {};
  return refused(
      "有 " + std::to_string(open_linked_problems) + " 件关联的群众诉求尚未办结,不能评定为已兑现",
      std::to_string(open_linked_problems) +
          " linked residents' problems are still open; it cannot be judged fulfilled");
}

}  // namespace xf::commitments::rules
