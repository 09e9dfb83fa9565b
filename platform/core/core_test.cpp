#include <gtest/gtest.h>

#include "platform/core/clock.h"
#include "platform/core/crypto.h"
#include "platform/core/id.h"
#include "platform/core/text.h"

namespace xf {
namespace {

TEST(Lang, EnglishOnlyWhenFirstTagIsEnglish) {
  EXPECT_EQ(parse_lang("en-US,en;q=0.9"), Lang::en);
  EXPECT_EQ(parse_lang("en"), Lang::en);
  EXPECT_EQ(parse_lang("zh-CN,en;q=0.5"), Lang::zh_CN);
  EXPECT_EQ(parse_lang(""), Lang::zh_CN);
  EXPECT_EQ(parse_lang("enx"), Lang::zh_CN);
}

TEST(Crypto, Sha256MatchesKnownVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("secret", "secret"));
  EXPECT_FALSE(constant_time_equal("secret", "secreT"));
  EXPECT_FALSE(constant_time_equal("secret", "secrets"));
}

TEST(Id, RoundTripsAndRejectsJunk) {
  EXPECT_EQ(parse_id(id_to_string(9007199254740993)), 9007199254740993);
  EXPECT_FALSE(parse_id("12a"));
  EXPECT_FALSE(parse_id("-3"));
  EXPECT_FALSE(parse_id(""));
}

TEST(Clock, FormatsIso8601InUtc) {
  EXPECT_EQ(format_iso8601(from_epoch_ms(1764052253123)), "2025-11-25T06:30:53.123Z");
}

}  // namespace
}  // namespace xf
