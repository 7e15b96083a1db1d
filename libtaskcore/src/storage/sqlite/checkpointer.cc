#include "storage/sqlite/checkpointer.h"

#include <sqlite3.h>

namespace taskcore::sqlite {

Checkpointer::Checkpointer(Connection& writer, std::mutex& writer_mutex,
                           const std::string& path, int busy_timeout_ms,
                           int threshold_pages, Scheduler& scheduler, Logger& logger)
    : writer_(writer),
      writer_mutex_(writer_mutex),
      logger_(logger),
      conn_(std::make_unique<Connection>(
          path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, logger)),
      threshold_pages_(threshold_pages) {
  sqlite3_busy_timeout(conn_->handle(), busy_timeout_ms);
  // A connection learns that the file is in WAL mode on its first read;
  // until then checkpoints on it silently do nothing.
  conn_->exec("SELECT COUNT(*) FROM sqlite_schema");
  writer_.exec("PRAGMA wal_autocheckpoint = 0");
  // When the WAL restarts, cut the file back to this size: a burst of
  // writes must not leave a huge file behind.
  writer_.exec("PRAGMA journal_size_limit = 67108864");
  job_ = scheduler.schedule(std::chrono::milliseconds(0), [this] { checkpoint(); });
  sqlite3_wal_hook(writer_.handle(), &Checkpointer::on_wal_commit, this);
}

Checkpointer::~Checkpointer() {
  sqlite3_wal_hook(writer_.handle(), nullptr, nullptr);
  job_.reset();
  checkpoint();
}

int Checkpointer::on_wal_commit(void* self, sqlite3*, const char*, int pages) {
  auto* checkpointer = static_cast<Checkpointer*>(self);
  if (pages >= checkpointer->threshold_pages_) checkpointer->job_.run_soon();
  return SQLITE_OK;
}

void Checkpointer::checkpoint() {
  const auto run_mode = [&](int mode) {
    int log_pages = 0;
    int copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(conn_->handle(), nullptr, mode,
                                             &log_pages, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
      logger_.log(LogLevel::kWarning,
                  std::string("checkpoint failed: ") + sqlite3_errstr(rc));
  };
  run_mode(SQLITE_CHECKPOINT_PASSIVE);
  // RESTART also waits for the readers still on the WAL (requests take
  // microseconds), so the next write starts the WAL over instead of
  // appending to it.
  std::lock_guard writer_lock(writer_mutex_);
  run_mode(SQLITE_CHECKPOINT_RESTART);
}

}  // namespace taskcore::sqlite
