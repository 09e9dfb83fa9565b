#include "platform/auth/password.h"

#include <gtest/gtest.h>

#include "platform/testing/fakes.h"

namespace xf::auth {
namespace {

std::string repeat(std::string_view unit, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += unit;
  return out;
}

void expect_refused(std::string_view password, std::string_view field = "password") {
  Status status = check_password_policy(password, field);
  ASSERT_FALSE(status.ok()) << password;
  EXPECT_EQ(status.error().code, ErrorCode::invalid_argument);
  ASSERT_EQ(status.error().fields.size(), 1u);
  EXPECT_EQ(status.error().fields[0].field, field);
  EXPECT_FALSE(status.error().fields[0].message.zh.empty());
  EXPECT_FALSE(status.error().fields[0].message.en.empty());
}

TEST(PasswordPolicy, LengthIsCountedInCodePoints) {
  expect_refused("k7#Qz!p");  // 7
  EXPECT_TRUE(check_password_policy("k7#Qz!pW").ok());
  expect_refused("红旗飘飘向前进");  // 7 characters, 21 bytes
  EXPECT_TRUE(check_password_policy("红旗飘飘勇往直前").ok());
  expect_refused("短", "new_password");
}

TEST(PasswordPolicy, LongPassphrasesAreAcceptedUpTo128) {
  EXPECT_TRUE(check_password_policy(repeat("tiger lily ", 6)).ok());  // 66
  EXPECT_TRUE(check_password_policy(repeat("ab3", 42) + "xy").ok());  // 128
  expect_refused(repeat("ab3", 43));                                  // 129
  EXPECT_TRUE(check_password_policy(repeat("党", 128)).ok());
}

TEST(PasswordPolicy, CommonPasswordsAreRefusedWhateverTheirCase) {
  EXPECT_TRUE(is_common_password("iloveyou"));
  EXPECT_TRUE(is_common_password("PassWord"));
  expect_refused("baseball");
  expect_refused("Sunshine");
  EXPECT_FALSE(is_common_password("红旗飘飘勇往直前"));
}

TEST(PasswordHash, UsesArgon2idWithTheAgreedParameters) {
  xf::testing::FakeRandom random;
  auto hash = hash_password("correct horse battery", random);
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *hash;
  EXPECT_TRUE(verify_password(*hash, "correct horse battery"));
  EXPECT_FALSE(verify_password(*hash, "correct horse batterY"));
  auto again = hash_password("correct horse battery", random);
  EXPECT_NE(*hash, *again);  // a fresh salt each time
}

TEST(PasswordHash, NeverTruncates) {
  // bcrypt would stop at 72 bytes; two passwords equal that far must differ.
  std::string base = repeat("x", 72);
  xf::testing::FakeRandom random;
  auto hash = hash_password(base + "first", random);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(verify_password(*hash, base + "first"));
  EXPECT_FALSE(verify_password(*hash, base + "other"));
}

}  // namespace
}  // namespace xf::auth
