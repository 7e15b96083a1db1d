#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "storage/sqlite/connection.h"
#include "taskcore/scheduler.h"

namespace taskcore::sqlite {

// Copies the WAL back into the database file as a scheduler job. By
// default SQLite checkpoints inside the COMMIT that crosses 1000 WAL pages,
// so one unlucky request pays for reading, writing and fsyncing thousands
// of pages (perf on a bulk update of 1000 tasks: a third of its time).
// The writer's automatic checkpoints are switched off and its WAL hook
// asks the scheduler to run the job instead. It first runs a PASSIVE checkpoint beside the
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
               const std::string& path, int busy_timeout_ms, int threshold_pages,
               Scheduler& scheduler, Logger& logger);
  // Unhooks the writer, ends the job and checkpoints a last time.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

 private:
  static int on_wal_commit(void* self, sqlite3* db, const char* name, int pages);
  void checkpoint();

  Connection& writer_;
  std::mutex& writer_mutex_;
  Logger& logger_;
  std::unique_ptr<Connection> conn_;
  const int threshold_pages_;
  ScheduledJob job_;
};

}  // namespace taskcore::sqlite
