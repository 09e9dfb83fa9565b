#pragma once
// XML for Open311 answers, written with libxml2's xmlTextWriter (Debian
// libxml2-dev), which escapes text and declares UTF-8. A JSON value maps to
// elements: an object's keys become child elements, an array becomes
// elements named by its container's name without the trailing "s"
// (attributes → attribute, values → value), null an empty element,
// booleans "true"/"false". Keys keep the order they were added in (the
// order of the specification's examples), hence ordered_json.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "platform/core/result.h"

namespace xf::requests {

// <root><item>…</item>…</root> for an array, <root>…</root> for an object.
Result<std::string> xml_document(std::string_view root, std::string_view item,
                                 const nlohmann::ordered_json& value);

}  // namespace xf::requests
