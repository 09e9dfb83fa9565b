#pragma once
// Passwords: the policy (OWASP ASVS 5: length only, no composition rules,
// never truncated, common passwords refused) and argon2id hashing.
#include <string>
#include <string_view>

#include "platform/core/random.h"
#include "platform/core/result.h"

namespace xf::auth {

// Counted in Unicode code points, so 8 Chinese characters are 8.
inline constexpr size_t kMinPasswordChars = 8;
inline constexpr size_t kMaxPasswordChars = 128;

// ok, or invalid_argument naming `field` ("password", "new_password").
Status check_password_policy(std::string_view password, std::string_view field = "password");
// Whether the password (ignoring ASCII case) is in data/common-passwords.txt.
bool is_common_password(std::string_view password);

// argon2id, m = 19456 KiB, t = 2, p = 1, a 16-byte salt: the PHC string
// "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>".
Result<std::string> hash_password(std::string_view password, Random& random);
// Reads the parameters from `encoded`, so older hashes keep verifying if the
// parameters are raised.
bool verify_password(const std::string& encoded, std::string_view password);

}  // namespace xf::auth
