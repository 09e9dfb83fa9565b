#pragma once
// Parameter lists for statements over many rows at once: IN lists and
// multi-row VALUES. Both databases cache prepared statements by their text,
// so list lengths are kept to powers of two: a batch of any size then uses a
// handful of statement texts, not one per length.
#include <cstddef>
#include <string>

namespace xf::storage {

// "$first, $first+1, …" for an IN list of `count` parameters.
std::string placeholders(size_t first, size_t count);
// "($first, …), (…)": `rows` tuples of `columns` parameters each.
std::string value_rows(size_t first, size_t columns, size_t rows);
// The length to pad an IN list of n values to (repeating a value changes
// nothing in an IN list): the next power of two.
size_t padded_list_length(size_t n);
// How many of `remaining` rows the next multi-row statement takes: the
// largest power of two not over `remaining` or `most`.
size_t next_chunk(size_t remaining, size_t most);

}  // namespace xf::storage
