#include "platform/storage/sql_lists.h"

#include <bit>

namespace xf::storage {

std::string placeholders(size_t first, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    if (i) out += ", ";
    out += "$" + std::to_string(first + i);
  }
  return out;
}

std::string value_rows(size_t first, size_t columns, size_t rows) {
  std::string out;
  for (size_t r = 0; r < rows; ++r) {
    if (r) out += ", ";
    out += "(" + placeholders(first + r * columns, columns) + ")";
  }
  return out;
}

size_t padded_list_length(size_t n) {
  return n <= 1 ? n : std::bit_ceil(n);
}

size_t next_chunk(size_t remaining, size_t most) {
  size_t limit = remaining < most ? remaining : most;
  return limit == 0 ? 0 : std::bit_floor(limit);
}

}  // namespace xf::storage
