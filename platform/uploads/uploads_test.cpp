#include "platform/uploads/uploads.h"

#include <gtest/gtest.h>

#include "platform/uploads/uploads_images.h"

namespace xf::uploads {
namespace {

TEST(Sniff, RecognisesEachAcceptedKindByItsFirstBytes) {
  EXPECT_EQ(sniff("\xFF\xD8\xFF\xE0rest"), FileKind::jpeg);
  EXPECT_EQ(sniff(std::string("\x89PNG\r\n\x1A\n\0\0", 10)), FileKind::png);
  EXPECT_EQ(sniff(std::string_view("RIFF\x10\0\0\0WEBPVP8 data", 20)), FileKind::webp);
  EXPECT_EQ(sniff("%PDF-1.7\n"), FileKind::pdf);
}

TEST(Sniff, RefusesEverythingElse) {
  EXPECT_EQ(sniff("hello, this is text named photo.jpg"), std::nullopt);
  EXPECT_EQ(sniff("GIF89a......"), std::nullopt);
  EXPECT_EQ(sniff("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), std::nullopt);
  EXPECT_EQ(sniff(std::string_view("RIFF\x10\0\0\0WAVEfmt ", 16)),
            std::nullopt);                     // RIFF, but audio
  EXPECT_EQ(sniff("\xFF\xD8"), std::nullopt);  // too short to be a JPEG
  EXPECT_EQ(sniff(""), std::nullopt);
}

TEST(CleanFilename, KeepsOnlyTheLastComponentWithoutControlCharacters) {
  EXPECT_EQ(clean_filename("..%2F..%2Fetc%2Fpasswd"), "passwd");
  EXPECT_EQ(clean_filename("C%3A%5Cphotos%5C%E7%85%A7%E7%89%87.jpg"), "照片.jpg");
  EXPECT_EQ(clean_filename("a%0D%0Ab.pdf"), "ab.pdf");
  EXPECT_EQ(clean_filename(".hidden"), "hidden");
  EXPECT_EQ(clean_filename(""), "file");
  EXPECT_EQ(clean_filename("%FF%FE"), "file");  // not UTF-8
}

TEST(CleanFilename, CutsAt255BytesOnACharacterBoundary) {
  std::string name;
  for (int i = 0; i < 100; ++i) name += "%E5%85%9A";  // 党, 3 bytes each
  auto cleaned = clean_filename(name);
  EXPECT_EQ(cleaned.size(), 255u);
  EXPECT_EQ(cleaned.substr(252), "党");
}

TEST(ContentDisposition, GivesAnAsciiFallbackAndTheExactUtf8Name) {
  EXPECT_EQ(content_disposition("整改照片 1.jpg", true),
            "inline; filename=\"____ 1.jpg\"; "
            "filename*=UTF-8''%E6%95%B4%E6%94%B9%E7%85%A7%E7%89%87%201.jpg");
  EXPECT_EQ(content_disposition("a\"b.pdf", false),
            "attachment; filename=\"a_b.pdf\"; filename*=UTF-8''a%22b.pdf");
}

TEST(SamplePhoto, IsAJpegThatUploadsAcceptWithAThumbnail) {
  auto photo = sample_photo_jpeg("践诺 · 2026-10-12 走访群众", 7);
  ASSERT_TRUE(photo.ok()) << photo.error().detail;
  EXPECT_EQ(sniff(*photo), FileKind::jpeg);
  auto processed = process_image(FileKind::jpeg, *photo, ImageLimits{});
  ASSERT_TRUE(processed.ok());
  EXPECT_EQ(processed->width, 640);
  EXPECT_EQ(processed->height, 480);
  EXPECT_FALSE(processed->thumbnail.empty());
  EXPECT_NE(*sample_photo_jpeg("践诺 · 2026-10-12 走访群众", 8), *photo);
}

}  // namespace
}  // namespace xf::uploads
