#include <sodium.h>

#include <charconv>
#include <ctime>
#include <stdexcept>

#include "platform/core/clock.h"
#include "platform/core/crypto.h"
#include "platform/core/id.h"
#include "platform/core/random.h"
#include "platform/core/result.h"
#include "platform/core/text.h"

namespace xf {

Lang parse_lang(std::string_view header) {
  // The first language tag decides; quality values are not worth honouring
  // for a two-language product.
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  if (header.size() >= 2 && (header[0] == 'e' || header[0] == 'E') &&
      (header[1] == 'n' || header[1] == 'N') &&
      (header.size() == 2 || header[2] == '-' || header[2] == ',' || header[2] == ';' ||
       header[2] == '_'))
    return Lang::en;
  return Lang::zh_CN;
}

std::string_view lang_code(Lang lang) {
  return lang == Lang::en ? "en" : "zh-CN";
}

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument:
      return "invalid_argument";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::unauthenticated:
      return "unauthenticated";
    case ErrorCode::permission_denied:
      return "permission_denied";
    case ErrorCode::conflict:
      return "conflict";
    case ErrorCode::rate_limited:
      return "rate_limited";
    case ErrorCode::unavailable:
      return "unavailable";
    case ErrorCode::internal:
      return "internal";
  }
  return "internal";
}

Error Error::invalid(std::string field, Text message) {
  Error e{ErrorCode::invalid_argument, message};
  e.fields.push_back({std::move(field), std::move(message), std::nullopt});
  return e;
}

Error Error::invalid_fields(std::vector<FieldError> fields) {
  Error e{
      ErrorCode::invalid_argument,
      fields.size() == 1 && !fields[0].row
          ? fields[0].message
          : Text{"输入有误,请检查标出的字段", "Some fields are invalid; see the marked fields"}};
  e.fields = std::move(fields);
  return e;
}

Error Error::not_found(Text what) {
  return Error{ErrorCode::not_found, std::move(what)};
}

Error Error::unauthenticated() {
  return Error{ErrorCode::unauthenticated, {"请先登录", "Please log in first"}};
}

Error Error::permission_denied() {
  return Error{ErrorCode::permission_denied,
               {"您没有执行此操作的权限", "You are not allowed to do this"}};
}

Error Error::conflict(Text message) {
  return Error{ErrorCode::conflict, std::move(message)};
}

Error Error::rate_limited(int retry_after_seconds) {
  Error e{ErrorCode::rate_limited,
          {"尝试次数过多,请稍后再试", "Too many attempts; please try again later"}};
  e.retry_after_seconds = retry_after_seconds;
  return e;
}

Error Error::unavailable(std::string detail) {
  Error e{ErrorCode::unavailable,
          {"服务暂时不可用,请稍后再试", "The service is temporarily unavailable; try again later"}};
  e.detail = std::move(detail);
  return e;
}

Error Error::busy(int retry_after_seconds) {
  Error e{ErrorCode::unavailable,
          {"提交的人太多,请 " + std::to_string(retry_after_seconds) + " 秒后再试",
           "Too many submissions right now; try again in " + std::to_string(retry_after_seconds) +
               " s"}};
  e.retry_after_seconds = retry_after_seconds;
  return e;
}

Error Error::internal(std::string detail) {
  Error e{ErrorCode::internal, {"服务器内部错误", "Internal server error"}};
  e.detail = std::move(detail);
  return e;
}

int64_t to_epoch_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

TimePoint from_epoch_ms(int64_t ms) {
  return TimePoint(std::chrono::milliseconds(ms));
}

std::string format_iso8601(TimePoint t) {
  int64_t ms = to_epoch_ms(t);
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

int64_t Random::next_id() {
  uint64_t v = 0;
  fill({reinterpret_cast<unsigned char*>(&v), sizeof v});
  v &= 0x7fffffffffffffffULL;
  return v == 0 ? 1 : static_cast<int64_t>(v);
}

std::string Random::hex_token(size_t bytes) {
  std::string raw(bytes, '\0');
  fill({reinterpret_cast<unsigned char*>(raw.data()), raw.size()});
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  hex.pop_back();
  return hex;
}

SodiumRandom::SodiumRandom() {
  // libsodium's default generator asks the kernel (getrandom) on every
  // call: a system call per request id and per ballot's receipt salt, dear
  // on a virtual machine. Its internal one is a ChaCha20 stream per thread
  // (libsodium's TLS), seeded from the kernel. It is chosen before the
  // library's first use, once for the process.
  static const bool ready = [] {
    randombytes_set_implementation(&randombytes_internal_implementation);
    return sodium_init() >= 0;
  }();
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

void SodiumRandom::fill(std::span<unsigned char> out) {
  randombytes_buf(out.data(), out.size());
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string id_to_string(Id id) {
  return std::to_string(id);
}

std::optional<Id> parse_id(std::string_view text) {
  Id id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

}  // namespace xf
