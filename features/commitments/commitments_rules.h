#pragma once
// The state rules of a commitment: each function answers ok or the refusal
// with its reason in both languages (conflict → 409). The service asks them
// before every change; commitments_rules_test.cpp checks every transition
// and every refusal.
//
//   draft ──submit (提诺)──▶ submitted ──approve (审诺)──▶ published (公开承诺)
//     ▲                          │                            │ progress (践诺), revisions
//     └──────return(reasons)─────┘                            │ due: self / peer / superior
//                                                             │ reviews; residents rate
//                                                             ▼ throughout (评诺)
//                                                           closed (fulfilled / partly / not)
#include <cstdint>
#include <optional>
#include <string_view>

#include "features/commitments/commitments.h"
#include "platform/core/result.h"

namespace xf::commitments::rules {

Status can_edit_draft(State s);
// A published commitment's text changes only as a new public version.
Status can_revise(State s);
Status can_submit(State s);
Status can_vet(State s);
Status can_report_progress(State s);
// Residents rate a published commitment on the board, any time until closed.
Status can_rate(State s);
// Self, peer and superior reviews once it is due (its last item's date has
// come) or complete.
Status can_review(const Commitment& c, std::string_view today);
// Closing computes the result: it needs the self-assessment and the
// superior's comment; peers and residents count when they took part.
Status can_close(const Commitment& c, std::string_view today, bool has_self, bool has_superior);
// Not "fulfilled" while a problem linked to it (features/requests) is open.
Status can_fulfil(Grade result, int64_t open_linked_problems);

}  // namespace xf::commitments::rules
