#include "platform/http/route_support.h"

namespace xf::http {

Result<Id> path_id(const Request& request, std::string_view name) {
  auto id = parse_id(request.path_param(name));
  if (!id) return Error::not_found({"找不到该对象", "Not found"});
  return *id;
}

}  // namespace xf::http
