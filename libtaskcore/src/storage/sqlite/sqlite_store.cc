#include <sqlite3.h>

#include <filesystem>

#include "storage/sqlite/private_file.h"
#include "storage/sqlite/schema.h"
#include "storage/sqlite/transaction.h"

namespace taskcore {
namespace sqlite {
namespace {

void run_callbacks(std::vector<std::function<void()>>& callbacks) noexcept {
  for (auto& callback : callbacks) {
    try {
      callback();
    } catch (...) {
      // Documented: the change is committed either way.
    }
  }
}

// The Store over SQLite: every transaction is a SqliteTransaction on one
// connection of the Database.
class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const SqliteOptions& options)
      : db_(options),
        path_(options.path == ":memory:" || options.path.empty() ? "" : options.path) {
    if (options.task_index)
      index_ = std::make_unique<TaskIndexSync>(db_, options.path, db_.logger());
  }

  void run_write(const std::function<void(Transaction&)>& fn) override {
    std::vector<std::function<void()>> callbacks;
    std::vector<TaskChange> changes;
    const std::function<void()> on_released = [&] {
      if (index_) index_->stage(std::move(changes));
    };
    db_.write(
        [&](Connection& conn) {
          changes.clear();
          SqliteTransaction tx(db_, conn, true, index_.get(), &changes);
          fn(tx);
          callbacks = tx.take_commit_callbacks();
        },
        on_released);
    run_callbacks(callbacks);
  }

  void run_read(const std::function<void(Transaction&)>& fn) override {
    std::vector<std::function<void()>> callbacks;
    db_.read_snapshot([&](Connection& conn) {
      SqliteTransaction tx(db_, conn, false, index_.get());
      fn(tx);
      callbacks = tx.take_commit_callbacks();
    });
    run_callbacks(callbacks);
  }

  void check_health() override {
    try {
      db_.read_snapshot([](Connection& conn) {
        // Reads page 1 of the file, so a vanished or unreadable file fails.
        Statement st = conn.prepare("SELECT COUNT(*) FROM sqlite_schema");
        st.step();
      });
    } catch (const std::exception&) {
      throw Error(ErrorCode::kServiceUnavailable, "Database unavailable.");
    }
  }

  StoreStatistics statistics() override {
    StoreStatistics out;
    out.backend = "sqlite";
    if (!path_.empty()) {
      out.size_bytes = file_size(path_);
      // Absent while no connection is open in WAL mode: then it is 0 bytes.
      out.wal_size_bytes = db_.wal() ? file_size(path_ + "-wal").value_or(0) : 0;
    }
    const storage::StatementStats& stats = db_.statement_stats();
    out.statements = stats.statements();
    out.slow_statements = stats.slow();
    out.slow_statement_threshold_ms = stats.threshold_ms();
    return out;
  }

 private:
  static std::optional<std::int64_t> file_size(const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return std::nullopt;
    return static_cast<std::int64_t>(size);
  }

  Database db_;
  const std::string path_;  // empty for a private in-memory database
  // Declared after db_: destroyed first, it unhooks itself from db_.
  std::unique_ptr<TaskIndexSync> index_;
};

}  // namespace

void TxContext::require_writable() const {
  if (writable) return;
  db.logger().log(LogLevel::kError, "a write was attempted in a read snapshot");
  throw Error::internal("Write attempted in a read transaction.");
}

std::int64_t cached_count(TxContext& tx, const sql::PagedSelect& select) {
  const std::optional<ScalarCache::Stamp> stamp = tx.db.cache_stamp(tx.conn);
  std::string key;
  if (stamp) {
    key.reserve(select.count_sql.size() + 32);
    key = select.count_sql;
    sql::append_cache_key(key, select.params, select.filter_param_count);
    if (auto cached = tx.conn.scalars().find(key, *stamp)) return *cached;
  }
  Statement st = tx.conn.prepare(select.count_sql);
  st.bind_all(select.params, select.filter_param_count);
  const std::int64_t n = st.step() ? st.int64(0) : 0;
  if (stamp) tx.conn.scalars().store(std::move(key), *stamp, n);
  return n;
}

}  // namespace sqlite

std::shared_ptr<Store> open_sqlite_store(const SqliteOptions& options) {
  sqlite::create_private_file_if_missing(options.path);
  return std::make_shared<sqlite::SqliteStore>(options);
}

int sqlite_schema_version() { return sqlite::latest_schema_version(); }

bool sqlite_disable_memory_statistics() {
  return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
}

}  // namespace taskcore
