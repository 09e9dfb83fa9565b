#include "platform/http/route_support.h"

#include <algorithm>
#include <charconv>

namespace xf::http {

Result<Id> path_id(const Request& request, std::string_view name) {
  auto id = parse_id(request.path_param(name));
  if (!id) return Error::not_found({"找不到该对象", "Not found"});
  return *id;
}

int64_t int_query(const Request& request, std::string_view name, int64_t fallback, int64_t lo,
                  int64_t hi) {
  auto text = request.query_param(name);
  int64_t value = fallback;
  if (text) std::from_chars(text->data(), text->data() + text->size(), value);
  return std::clamp(value, lo, hi);
}

}  // namespace xf::http
