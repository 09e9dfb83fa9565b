#pragma once
// Randomness is injected so that tests are repeatable: production uses
// SodiumRandom (the OS CSPRNG through libsodium), tests a seeded fake.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace xf {

class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(std::span<unsigned char> out) = 0;

  // A positive 63-bit id. Ids are random, not a sequence, so that their
  // order means nothing and shards can mint them without coordination.
  int64_t next_id();
  // `bytes` random bytes as lowercase hex (a 256-bit token is 32 bytes).
  std::string hex_token(size_t bytes);
};

class SodiumRandom final : public Random {
 public:
  SodiumRandom();
  void fill(std::span<unsigned char> out) override;
};

}  // namespace xf
