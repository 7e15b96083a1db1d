#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "storage/sqlite/connection.h"

namespace taskcore::sqlite {

// Copies the WAL back into the database file on a thread of its own. By
// default SQLite checkpoints inside the COMMIT that crosses 1000 WAL pages,
// so one unlucky request pays for reading, writing and fsyncing thousands
// of pages (perf on a bulk update of 1000 tasks: a third of its time).
// The writer's automatic checkpoints are switched off and its WAL hook
// wakes this thread instead. It first runs a PASSIVE checkpoint beside the
// writer (copying most frames while writes go on), then a RESTART one
// under the writer's lock to copy the few frames appended meanwhile and
// wait out the readers still on the WAL: only then does the next write
// start the WAL over. Under a steady stream of writes and reads an unlocked
// checkpoint never gets there (the WAL grew to 2.4 GB in 20 s of creates).
class Checkpointer {
 public:
  // Opens its own connection to `path` and hooks `writer`'s commits;
  // `writer_mutex` is the lock every write transaction holds.
  Checkpointer(Connection& writer, std::mutex& writer_mutex,
               const std::string& path, int busy_timeout_ms, int threshold_pages);
  // Stops the thread after a last checkpoint and unhooks the writer.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

 private:
  static int on_wal_commit(void* self, sqlite3* db, const char* name, int pages);
  void run();
  void checkpoint();

  Connection& writer_;
  std::mutex& writer_mutex_;
  std::unique_ptr<Connection> conn_;
  const int threshold_pages_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool pending_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace taskcore::sqlite
