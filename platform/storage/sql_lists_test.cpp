#include "platform/storage/sql_lists.h"

#include <gtest/gtest.h>

namespace xf::storage {
namespace {

TEST(SqlLists, PlaceholdersAndValueRowsNumberFromFirst) {
  EXPECT_EQ(placeholders(3, 3), "$3, $4, $5");
  EXPECT_EQ(placeholders(1, 0), "");
  EXPECT_EQ(value_rows(2, 2, 2), "($2, $3), ($4, $5)");
}

TEST(SqlLists, ListsArePaddedAndChunkedToPowersOfTwo) {
  EXPECT_EQ(padded_list_length(0), 0u);
  EXPECT_EQ(padded_list_length(1), 1u);
  EXPECT_EQ(padded_list_length(5), 8u);
  EXPECT_EQ(padded_list_length(64), 64u);
  // 300 rows, at most 128 a statement: 128 + 128 + 32 + 8 + 4.
  std::vector<size_t> chunks;
  for (size_t left = 300; left > 0; left -= chunks.back()) chunks.push_back(next_chunk(left, 128));
  EXPECT_EQ(chunks, (std::vector<size_t>{128, 128, 32, 8, 4}));
}

}  // namespace
}  // namespace xf::storage
