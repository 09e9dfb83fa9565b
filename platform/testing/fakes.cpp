#include "platform/testing/fakes.h"

#include <algorithm>

namespace xf::testing {

void FakeRandom::fill(std::span<unsigned char> out) {
  size_t done = 0;
  while (done < out.size()) {
    // splitmix64 (Steele, Lea, Flood 2014): one 64-bit state, good spread.
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    size_t n = std::min(sizeof z, out.size() - done);
    for (size_t i = 0; i < n; ++i) out[done + i] = static_cast<unsigned char>(z >> (8 * i));
    done += n;
  }
}

}  // namespace xf::testing
