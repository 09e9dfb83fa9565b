#include "platform/http/request_parts.h"

#include <gtest/gtest.h>

namespace xf::http {
namespace {

TEST(PercentDecode, DecodesUtf8AndRefusesBrokenEscapesAndNul) {
  EXPECT_EQ(percent_decode("/u/%E5%85%9A%E6%94%AF%E9%83%A8", false), "/u/党支部");
  EXPECT_EQ(percent_decode("a+b%20c", true), "a b c");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(percent_decode("%4", false), std::nullopt);
  EXPECT_EQ(percent_decode("%G1", false), std::nullopt);
  EXPECT_EQ(percent_decode("abc%", false), std::nullopt);
  EXPECT_EQ(percent_decode("a%00b", false), std::nullopt);
}

TEST(DecodeTarget, SplitsPathAndRepeatedQueryParameters) {
  Request request;
  ASSERT_TRUE(
      decode_target("/api/v1/units?parent=44%2001&q=%E5%85%9A&tag=a&tag=b&flag", request).ok());
  EXPECT_EQ(request.path, "/api/v1/units");
  EXPECT_EQ(request.query_param("parent"), "44 01");
  EXPECT_EQ(request.query_param("q"), "党");
  EXPECT_EQ(request.query.count("tag"), 2u);
  EXPECT_EQ(request.query_param("flag"), "");
  EXPECT_EQ(request.query_param("missing"), std::nullopt);
}

TEST(DecodeTarget, RefusesTargetsThatAreNotAPath) {
  Request request;
  EXPECT_FALSE(decode_target("http://evil.example/", request).ok());
  EXPECT_FALSE(decode_target("*", request).ok());
  EXPECT_FALSE(decode_target("/a%zz", request).ok());
  EXPECT_FALSE(decode_target("/a?x=%", request).ok());
}

TEST(ClientAddress, ForwardedForIsIgnoredUnlessThePeerIsATrustedProxy) {
  EXPECT_EQ(client_address("203.0.113.9", "1.2.3.4", {"10.0.0.1"}), "203.0.113.9");
  EXPECT_EQ(client_address("10.0.0.1", std::nullopt, {"10.0.0.1"}), "10.0.0.1");
}

TEST(ClientAddress, TakesTheRightMostAddressThatIsNotATrustedProxy) {
  std::vector<std::string> proxies{"10.0.0.1", "10.0.0.2"};
  // The client forged "6.6.6.6"; the first proxy appended the real address.
  EXPECT_EQ(client_address("10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.2", proxies), "198.51.100.7");
  EXPECT_EQ(client_address("10.0.0.1", "10.0.0.2", proxies), "10.0.0.2");
}

TEST(RequestCookie, FindsTheNamedCookieAmongOthers) {
  Request request;
  request.headers.add("Cookie", "theme=dark; xf_session=abc123 ; quoted=\"v\"");
  EXPECT_EQ(request.cookie("xf_session"), "abc123");
  EXPECT_EQ(request.cookie("quoted"), "v");
  EXPECT_EQ(request.cookie("session"), std::nullopt);
}

TEST(Headers, NamesAreCaseInsensitiveAndSetReplacesEveryEarlierValue) {
  Headers headers;
  headers.add("Set-Cookie", "a=1");
  headers.add("set-cookie", "b=2");
  EXPECT_EQ(headers.all().size(), 2u);
  headers.set("SET-COOKIE", "c=3");
  EXPECT_EQ(headers.all().size(), 1u);
  EXPECT_EQ(headers.get("Set-Cookie"), "c=3");
}

TEST(Methods, NamesRoundTripAndAreCaseSensitive) {
  for (Method m : {Method::GET, Method::HEAD, Method::POST, Method::PUT, Method::PATCH,
                   Method::DELETE_, Method::OPTIONS})
    EXPECT_EQ(parse_method(method_name(m)), m);
  EXPECT_EQ(parse_method("get"), Method::other);
  EXPECT_TRUE(is_state_changing(Method::DELETE_));
  EXPECT_FALSE(is_state_changing(Method::HEAD));
}

}  // namespace
}  // namespace xf::http
