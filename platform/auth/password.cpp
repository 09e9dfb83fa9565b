#include "platform/auth/password.h"

#include <argon2.h>

#include <array>
#include <cctype>
#include <unordered_set>

namespace xf::auth {

// The contents of data/common-passwords.txt (generated at build time).
std::string_view common_passwords_text();

namespace {

constexpr uint32_t kTimeCost = 2;
constexpr uint32_t kMemoryKiB = 19456;
constexpr uint32_t kParallelism = 1;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;

size_t code_points(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++count;  // every byte but a UTF-8 continuation starts one
  return count;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const std::unordered_set<std::string_view>& common_passwords() {
  static const auto set = [] {
    std::unordered_set<std::string_view> words;
    std::string_view text = common_passwords_text();
    while (!text.empty()) {
      size_t end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
      if (!line.empty() && line.front() != '#') words.insert(line);
    }
    return words;
  }();
  return set;
}

}  // namespace

bool is_common_password(std::string_view password) {
  return common_passwords().contains(ascii_lower(password));
}

Status check_password_policy(std::string_view password, std::string_view field) {
  size_t chars = code_points(password);
  std::string name(field);
  if (chars < kMinPasswordChars)
    return Error::invalid(name,
                          {"密码至少需要 8 个字符", "The password needs at least 8 characters"});
  if (chars > kMaxPasswordChars)
    return Error::invalid(name,
                          {"密码最多 128 个字符", "The password may have at most 128 characters"});
  if (is_common_password(password))
    return Error::invalid(name, {"这个密码太常见,容易被猜到,请换一个",
                                 "This password is too common and easy to guess; choose another"});
  return {};
}

Result<std::string> hash_password(std::string_view password, Random& random) {
  std::array<unsigned char, kSaltBytes> salt{};
  random.fill(salt);
  size_t encoded_len =
      argon2_encodedlen(kTimeCost, kMemoryKiB, kParallelism, kSaltBytes, kHashBytes, Argon2_id);
  std::string encoded(encoded_len, '\0');
  int rc =
      argon2id_hash_encoded(kTimeCost, kMemoryKiB, kParallelism, password.data(), password.size(),
                            salt.data(), salt.size(), kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) return Error::internal(std::string("argon2: ") + argon2_error_message(rc));
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool verify_password(const std::string& encoded, std::string_view password) {
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace xf::auth
