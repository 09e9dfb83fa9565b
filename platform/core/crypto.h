#pragma once
// Hashes and comparisons on secrets, all through libsodium.
#include <string>
#include <string_view>

namespace xf {

// SHA-256 of `data` as 64 lowercase hex characters.
std::string sha256_hex(std::string_view data);
// Compares without leaking where two secrets first differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace xf
