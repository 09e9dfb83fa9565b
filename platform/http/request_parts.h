#pragma once
// The steps that turn what arrived on the wire into a Request, kept out of
// server.cpp so that they are tested without a socket (and without Beast).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/http/http.h"

namespace xf::http {

// Decodes %XX escapes (and '+' as a space in query strings). nullopt for a
// broken escape or a decoded NUL byte, which no route or file name may hold.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Fills request.path and request.query from an origin-form request-target
// ("/path?query"); invalid_argument when the target is not one.
Status decode_target(std::string_view target, Request& request);

// The client's address. X-Forwarded-For is believed only when the peer is a
// trusted proxy; then the right-most address that is not itself a trusted
// proxy is the client (the left part of the header is the client's to forge).
std::string client_address(std::string_view peer, std::optional<std::string_view> forwarded_for,
                           const std::vector<std::string>& trusted_proxies);

}  // namespace xf::http
