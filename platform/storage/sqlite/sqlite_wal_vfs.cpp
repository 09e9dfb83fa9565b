// Why: SQLite appends a commit to the WAL with two write() calls per page
// (the 24-byte frame header, then the page). A batch of 500 ballots dirties
// ~3 000 pages of a province-sized round, so a commit was ~6 000 system
// calls — on this kind of virtual machine each costs 5–10 µs, and the
// ballot committer spent most of its time in them (bench/ballots README).
// This VFS wraps the default one and, for WAL files only, keeps writes that
// continue one another in a buffer, handed to the kernel in one write when
// it is full or when SQLite next needs the file as the kernel sees it:
// before a sync, a read, a size query or truncation, a file control, and on
// close.
//
// Why that is safe: other connections read a frame only once the writer has
// published it in the wal-index header, and with synchronous=FULL the
// writer syncs the WAL (so flushes the buffer) before it publishes a commit.
// The writer itself flushes before it reads the WAL back. Durability does
// not change: the sync that makes a commit durable follows the flush.
// SQLite offers no such buffering of its own (3.40), and no Debian package
// provides one.
#include "platform/storage/sqlite/sqlite_wal_vfs.h"

#include <sqlite3.h>

#include <cstddef>
#include <new>
#include <vector>

namespace xf::storage {
namespace {

// The unix VFS hands at most 128 KiB - 1 bytes to one write() (os_unix.c
// asserts it and masks the length), so a transaction goes out in pieces of
// up to this size: 30 frames of 4 KiB pages a system call instead of 60.
constexpr std::size_t kMaxWrite = 128 * 1024 - 1;

sqlite3_vfs* real_vfs(sqlite3_vfs* vfs) {
  return static_cast<sqlite3_vfs*>(vfs->pAppData);
}

// Our part of a WAL file; the underlying VFS's file follows it in memory.
struct BufferedWal {
  sqlite3_file base;
  std::vector<char> pending;
  sqlite3_int64 pending_at = 0;  // the file offset of pending[0]

  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
  static BufferedWal* of(sqlite3_file* file) { return reinterpret_cast<BufferedWal*>(file); }

  // Writes what is pending. On failure the pending frames are dropped: the
  // transaction that wrote them fails, and SQLite writes them again if it
  // retries.
  int flush() {
    if (pending.empty()) return SQLITE_OK;
    int rc = real()->pMethods->xWrite(real(), pending.data(), static_cast<int>(pending.size()),
                                      pending_at);
    pending.clear();
    return rc;
  }
};

int wal_close(sqlite3_file* file) {
  BufferedWal* wal = BufferedWal::of(file);
  int flushed = wal->flush();
  int closed = wal->real()->pMethods->xClose(wal->real());
  wal->~BufferedWal();
  return flushed != SQLITE_OK ? flushed : closed;
}

int wal_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  BufferedWal* wal = BufferedWal::of(file);
  if (int rc = wal->flush(); rc != SQLITE_OK) return rc;
  return wal->real()->pMethods->xRead(wal->real(), out, amount, offset);
}

int wal_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  BufferedWal* wal = BufferedWal::of(file);
  const auto size = static_cast<std::size_t>(amount);
  const bool continues =
      offset == wal->pending_at + static_cast<sqlite3_int64>(wal->pending.size());
  if (!wal->pending.empty() && (!continues || wal->pending.size() + size > kMaxWrite)) {
    if (int rc = wal->flush(); rc != SQLITE_OK) return rc;
  }
  if (wal->pending.empty()) wal->pending_at = offset;
  const char* bytes = static_cast<const char*>(data);
  wal->pending.insert(wal->pending.end(), bytes, bytes + size);
  return SQLITE_OK;
}

// The calls after which SQLite expects the file to hold what it wrote.
template <auto Method, typename... Args>
int flushed_then(sqlite3_file* file, Args... args) {
  BufferedWal* wal = BufferedWal::of(file);
  if (int rc = wal->flush(); rc != SQLITE_OK) return rc;
  return (wal->real()->pMethods->*Method)(wal->real(), args...);
}

// The calls that do not depend on the file's contents.
template <auto Method, typename... Args>
auto forwarded(sqlite3_file* file, Args... args) {
  sqlite3_file* real = BufferedWal::of(file)->real();
  return (real->pMethods->*Method)(real, args...);
}

using M = sqlite3_io_methods;
const sqlite3_io_methods kWalMethods = {
    3,
    wal_close,
    wal_read,
    wal_write,
    flushed_then<&M::xTruncate, sqlite3_int64>,
    flushed_then<&M::xSync, int>,
    flushed_then<&M::xFileSize, sqlite3_int64*>,
    forwarded<&M::xLock, int>,
    forwarded<&M::xUnlock, int>,
    forwarded<&M::xCheckReservedLock, int*>,
    flushed_then<&M::xFileControl, int, void*>,
    forwarded<&M::xSectorSize>,
    forwarded<&M::xDeviceCharacteristics>,
    forwarded<&M::xShmMap, int, int, int, void volatile**>,
    forwarded<&M::xShmLock, int, int, int>,
    forwarded<&M::xShmBarrier>,
    forwarded<&M::xShmUnmap, int>,
    flushed_then<&M::xFetch, sqlite3_int64, int, void**>,
    forwarded<&M::xUnfetch, sqlite3_int64, void*>,
};

int open_file(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
              int* out_flags) {
  sqlite3_vfs* real = real_vfs(vfs);
  // Databases and other files are the underlying VFS's own, unwrapped (our
  // file size has room for them).
  if (!(flags & SQLITE_OPEN_WAL)) return real->xOpen(real, name, file, flags, out_flags);
  BufferedWal* wal = new (file) BufferedWal{};
  int rc = real->xOpen(real, name, wal->real(), flags, out_flags);
  if (rc != SQLITE_OK) {
    wal->~BufferedWal();
    file->pMethods = nullptr;  // SQLite will not call xClose
    return rc;
  }
  wal->base.pMethods = &kWalMethods;
  return SQLITE_OK;
}

// Everything else goes to the underlying VFS, called with its own pointer.
template <auto Method, typename... Args>
auto vfs_forwarded(sqlite3_vfs* vfs, Args... args) {
  sqlite3_vfs* real = real_vfs(vfs);
  return (real->*Method)(real, args...);
}

sqlite3_vfs* make_vfs() {
  static sqlite3_vfs vfs;
  sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
  using V = sqlite3_vfs;
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(sizeof(BufferedWal)) + real->szOsFile;
  vfs.mxPathname = real->mxPathname;
  vfs.zName = "xf-buffered-wal";
  vfs.pAppData = real;
  vfs.xOpen = open_file;
  vfs.xDelete = vfs_forwarded<&V::xDelete, const char*, int>;
  vfs.xAccess = vfs_forwarded<&V::xAccess, const char*, int, int*>;
  vfs.xFullPathname = vfs_forwarded<&V::xFullPathname, const char*, int, char*>;
  vfs.xDlOpen = vfs_forwarded<&V::xDlOpen, const char*>;
  vfs.xDlError = vfs_forwarded<&V::xDlError, int, char*>;
  vfs.xDlSym = vfs_forwarded<&V::xDlSym, void*, const char*>;
  vfs.xDlClose = vfs_forwarded<&V::xDlClose, void*>;
  vfs.xRandomness = vfs_forwarded<&V::xRandomness, int, char*>;
  vfs.xSleep = vfs_forwarded<&V::xSleep, int>;
  vfs.xCurrentTime = vfs_forwarded<&V::xCurrentTime, double*>;
  vfs.xGetLastError = vfs_forwarded<&V::xGetLastError, int, char*>;
  vfs.xCurrentTimeInt64 = vfs_forwarded<&V::xCurrentTimeInt64, sqlite3_int64*>;
  sqlite3_vfs_register(&vfs, 0);
  return &vfs;
}

}  // namespace

const char* buffered_wal_vfs() {
  static sqlite3_vfs* vfs = make_vfs();  // thread-safe once
  return vfs->zName;
}

}  // namespace xf::storage
