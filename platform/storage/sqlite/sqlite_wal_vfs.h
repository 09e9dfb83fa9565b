#pragma once
// A SQLite VFS that hands a transaction's WAL frames to the kernel in one
// write per 30 pages instead of two per page (see sqlite_wal_vfs.cpp for why and when it
// is safe).

namespace xf::storage {

// The name to pass to sqlite3_open_v2; registers the VFS on first use.
// Every connection that uses it must run with synchronous=FULL.
const char* buffered_wal_vfs();

}  // namespace xf::storage
