#pragma once
// The bytes on disk. Names are made by the server (random hex), never from
// anything a client sent; files sit in a two-character subfolder so that no
// folder grows past a few thousand entries. A write is a temporary file in
// `tmp/`, fsync, rename into place, fsync of the folder: a crash leaves
// either the whole file or a stray temporary, never half a file.
#include <filesystem>
#include <string>
#include <string_view>

#include "platform/core/random.h"
#include "platform/core/result.h"

namespace xf::uploads {

class FileStore {
 public:
  // Touches nothing on disk: folders are made on the first write.
  explicit FileStore(std::filesystem::path root);
  // Creates the folder (and tmp/) now, so that a server started with a
  // folder it cannot write to says so at start-up (field "uploads").
  Status prepare() const;

  // A fresh storage name: 32 random hex characters.
  static std::string new_name(Random& random);
  // root/ab/abcdef…[suffix]
  std::filesystem::path path_of(std::string_view storage_name, std::string_view suffix = "") const;

  Status write(std::string_view storage_name, std::string_view suffix, std::string_view bytes,
               Random& random) const;
  // Best effort: a failure is logged, the caller has nothing to undo.
  void remove(std::string_view storage_name, std::string_view suffix) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

// Suffix of a stored image's thumbnail.
inline constexpr std::string_view kThumbnailSuffix = ".thumb.jpg";

}  // namespace xf::uploads
