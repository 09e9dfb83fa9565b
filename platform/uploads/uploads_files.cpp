#include "platform/uploads/uploads_files.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace xf::uploads {
namespace {

Error storage_error(const std::string& what, const std::filesystem::path& path) {
  return Error::internal(what + " " + path.string() + ": " + std::strerror(errno));
}

Status fsync_path(const std::filesystem::path& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return storage_error("open", path);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return storage_error("fsync", path);
  return {};
}

Status write_all(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return storage_error("write", path);
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

}  // namespace

FileStore::FileStore(std::filesystem::path root) : root_(std::move(root)) {}

Status FileStore::prepare() const {
  std::error_code ec;
  std::filesystem::create_directories(root_ / "tmp", ec);
  if (ec)
    return Error::invalid(
        "uploads", {"无法创建上传目录 " + root_.string() + ":" + ec.message(),
                    "Cannot create the uploads folder " + root_.string() + ": " + ec.message()});
  return {};
}

std::string FileStore::new_name(Random& random) {
  return random.hex_token(16);
}

std::filesystem::path FileStore::path_of(std::string_view storage_name,
                                         std::string_view suffix) const {
  return root_ / std::string(storage_name.substr(0, 2)) /
         (std::string(storage_name) + std::string(suffix));
}

Status FileStore::write(std::string_view storage_name, std::string_view suffix,
                        std::string_view bytes, Random& random) const {
  auto final_path = path_of(storage_name, suffix);
  auto temp_path = root_ / "tmp" / (random.hex_token(16) + ".part");
  std::error_code ec;
  std::filesystem::create_directories(root_ / "tmp", ec);
  std::filesystem::create_directories(final_path.parent_path(), ec);
  if (ec)
    return Error::internal("mkdir " + final_path.parent_path().string() + ": " + ec.message());

  int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return storage_error("create", temp_path);
  Status written = write_all(fd, bytes, temp_path);
  if (written.ok() && ::fsync(fd) != 0) written = storage_error("fsync", temp_path);
  ::close(fd);
  if (written.ok() && ::rename(temp_path.c_str(), final_path.c_str()) != 0)
    written = storage_error("rename", final_path);
  if (!written.ok()) {
    std::filesystem::remove(temp_path, ec);
    return written;
  }
  // The rename is durable only once the folder holding the name is synced.
  return fsync_path(final_path.parent_path(), O_RDONLY | O_DIRECTORY);
}

void FileStore::remove(std::string_view storage_name, std::string_view suffix) const {
  std::error_code ec;
  auto path = path_of(storage_name, suffix);
  std::filesystem::remove(path, ec);
  if (ec) spdlog::warn("cannot remove {}: {}", path.string(), ec.message());
}

}  // namespace xf::uploads
