#include "storage/sqlite/schema.h"

#include <array>
#include <optional>
#include <string>

#include "taskcore/sqlite_store.h"

namespace taskcore::sqlite {
namespace {

struct Migration {
  int version;
  const char* sql;
};

// Append only: a released migration never changes; fix forward with a new
// one. Each runs in one transaction together with its user_version bump.
constexpr std::array kMigrations = {
    Migration{1, R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'member', 'manager', 'admin')),
  is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  date_joined INTEGER NOT NULL,
  last_login INTEGER
);
CREATE UNIQUE INDEX users_email_nocase ON users (email COLLATE NOCASE);
CREATE INDEX users_date_joined ON users (date_joined);
CREATE INDEX users_role_active ON users (role, is_active);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  refresh_id TEXT NOT NULL,
  revoked_at INTEGER
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

-- AUTOINCREMENT: a deleted task's id is never handed out again, so clients
-- holding a stale id (realtime events, bookmarks) never reach a new task.
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL
    CHECK (status IN ('todo', 'in_progress', 'review', 'done')),
  priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 3),
  category TEXT,
  project TEXT,
  due_date TEXT,
  assigned_to INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- Every index entry ends with the rowid (= id), so (col) orders as
-- (col, id): each ordering index also gives the id tie-break for free.
CREATE INDEX tasks_created_at ON tasks (created_at);
CREATE INDEX tasks_updated_at ON tasks (updated_at);
-- The due date index names id explicitly before the short filter columns:
-- it still orders as (due_date, id), and a filtered list or count over a
-- due date range tests status / priority / category / project inside the
-- index instead of reading each row (a filtered count: 118 ms -> 3 ms at
-- 100k tasks).
CREATE INDEX tasks_due_date ON tasks (due_date, id, status, priority, category, project);
CREATE INDEX tasks_priority ON tasks (priority);
CREATE INDEX tasks_title ON tasks (title);
-- Filters, each followed by the default ordering so a filtered first page
-- reads its rows in order without sorting. assigned_to / created_by also
-- serve the ON DELETE SET NULL of a deleted user.
CREATE INDEX tasks_status_created ON tasks (status, created_at);
CREATE INDEX tasks_priority_created ON tasks (priority, created_at);
CREATE INDEX tasks_category_created ON tasks (category, created_at);
CREATE INDEX tasks_project_created ON tasks (project, created_at);
CREATE INDEX tasks_assigned_created ON tasks (assigned_to, created_at);
CREATE INDEX tasks_creator_created ON tasks (created_by, created_at);

-- External content: the text lives in tasks only. No ranking is offered,
-- so columnsize = 0 skips the per-row sizes bm25() would need (one table
-- less to write on every task change).
CREATE VIRTUAL TABLE tasks_fts USING fts5 (
  title, description,
  content = 'tasks', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2',
  columnsize = 0
);
CREATE TRIGGER tasks_fts_insert AFTER INSERT ON tasks BEGIN
  INSERT INTO tasks_fts (rowid, title, description)
    VALUES (new.id, new.title, new.description);
END;
CREATE TRIGGER tasks_fts_delete AFTER DELETE ON tasks BEGIN
  INSERT INTO tasks_fts (tasks_fts, rowid, title, description)
    VALUES ('delete', old.id, old.title, old.description);
END;
-- Updates store every column; only re-index when the text changed, so
-- status / assignment changes (bulk updates) leave the index alone.
CREATE TRIGGER tasks_fts_update AFTER UPDATE ON tasks
WHEN old.title IS NOT new.title OR old.description IS NOT new.description
  OR old.id IS NOT new.id
BEGIN
  INSERT INTO tasks_fts (tasks_fts, rowid, title, description)
    VALUES ('delete', old.id, old.title, old.description);
  INSERT INTO tasks_fts (rowid, title, description)
    VALUES (new.id, new.title, new.description);
END;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
)sql"},
    Migration{2, R"sql(
-- Append-only: the triggers refuse any change, whatever SQL reaches the
-- file. actor_id has no foreign key: entries outlive what they name.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  timestamp INTEGER NOT NULL,
  actor_id INTEGER,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id INTEGER,
  details TEXT NOT NULL,
  ip TEXT NOT NULL,
  request_id TEXT NOT NULL
);
-- The log is read newest first (by id); each index ends with the rowid, so
-- an equality filter walks its index in that order without sorting. The
-- timestamp index serves start / end.
CREATE INDEX audit_log_actor ON audit_log (actor_id);
CREATE INDEX audit_log_action ON audit_log (action);
CREATE INDEX audit_log_timestamp ON audit_log (timestamp);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- One row per committed batch of events, numbered first_seq..last_seq. The
-- rowid is first_seq, so the newest row (which holds the last number) and
-- the row holding a given number are both one seek on the table itself.
CREATE TABLE outbox (
  first_seq INTEGER PRIMARY KEY,
  last_seq INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  payload BLOB NOT NULL
);
)sql"},
    Migration{3, R"sql(
-- Refresh tokens are opaque and kept only as SHA-256 hashes, one row per
-- token: the live one has no used_at; presenting a used one is reuse.
ALTER TABLE sessions DROP COLUMN refresh_id;
CREATE TABLE refresh_tokens (
  hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  issued_at INTEGER NOT NULL,
  used_at INTEGER
) WITHOUT ROWID;
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);
CREATE INDEX sessions_ended ON sessions (expires_at);

CREATE TABLE reset_tokens (
  hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
) WITHOUT ROWID;
CREATE INDEX reset_tokens_user ON reset_tokens (user_id);
)sql"},
    Migration{4, R"sql(
-- Bumped by every write batch that changes tasks, in that transaction: a
-- reader compares it in its own snapshot with the version the in-memory
-- task index reflects (storage/sqlite/task_index_sync.h).
CREATE TABLE task_index_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  v INTEGER NOT NULL
);
INSERT INTO task_index_version (id, v) VALUES (1, 0);
)sql"},
    Migration{5, R"sql(
-- Filters and the updated_at / priority orderings are answered by the
-- in-memory task index (storage/index/), whose cost follows the result
-- whatever the combination; these indexes only made every write slower
-- (a bulk status change rewrote the status, updated_at and covering due
-- date entries of each row). Kept: created_at, due_date and title, which
-- plain lists walk with a cached count.
DROP INDEX tasks_updated_at;
DROP INDEX tasks_priority;
DROP INDEX tasks_status_created;
DROP INDEX tasks_priority_created;
DROP INDEX tasks_category_created;
DROP INDEX tasks_project_created;
DROP INDEX tasks_assigned_created;
DROP INDEX tasks_creator_created;
DROP INDEX tasks_due_date;
CREATE INDEX tasks_due_date ON tasks (due_date);

-- Only an UPDATE naming title or description can change the text: the
-- store sets only changed columns, so a status change no longer runs the
-- trigger program for every row it touches.
DROP TRIGGER tasks_fts_update;
CREATE TRIGGER tasks_fts_update AFTER UPDATE OF title, description ON tasks
WHEN old.title IS NOT new.title OR old.description IS NOT new.description
BEGIN
  INSERT INTO tasks_fts (tasks_fts, rowid, title, description)
    VALUES ('delete', old.id, old.title, old.description);
  INSERT INTO tasks_fts (rowid, title, description)
    VALUES (new.id, new.title, new.description);
END;
)sql"},
    Migration{6, R"sql(
-- Blog media. A row names its stored file and thumbnail; the bytes live in
-- a MediaStorage. uploaded_by survives the user (SET NULL) like a task's
-- creator.
CREATE TABLE media (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  filename TEXT NOT NULL UNIQUE,
  original_filename TEXT NOT NULL,
  file_type TEXT NOT NULL
    CHECK (file_type IN ('jpg', 'png', 'gif', 'webp', 'pdf', 'doc', 'docx')),
  file_size INTEGER NOT NULL CHECK (file_size >= 0),
  upload_date INTEGER NOT NULL,
  uploaded_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
  thumbnail_filename TEXT UNIQUE,
  width INTEGER,
  height INTEGER
);
-- The default ordering (-upload_date) and the date range filter; the
-- uploader filter and ON DELETE SET NULL.
CREATE INDEX media_upload_date ON media (upload_date, id);
CREATE INDEX media_uploaded_by ON media (uploaded_by, upload_date, id);
)sql"},
    Migration{7, R"sql(
-- Blog posts. media_ids live in post_media (position = their order); the
-- foreign keys make a deleted media file leave every post (the core also
-- drops the references itself, in the delete's transaction).
CREATE TABLE posts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL,
  slug TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
  author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  cover_media INTEGER REFERENCES media (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  published_at INTEGER
);
CREATE INDEX posts_created_at ON posts (created_at, id);
CREATE INDEX posts_author ON posts (author_id, created_at, id);
CREATE INDEX posts_status ON posts (status, created_at, id);
CREATE INDEX posts_cover ON posts (cover_media);
CREATE TABLE post_media (
  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  media_id INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
  PRIMARY KEY (post_id, position)
) WITHOUT ROWID;
CREATE INDEX post_media_media ON post_media (media_id, post_id);

-- Full text over title and body, with the task search's tokenizer.
CREATE VIRTUAL TABLE posts_fts USING fts5 (
  title, body,
  content = 'posts', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2',
  columnsize = 0
);
CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
  INSERT INTO posts_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
  INSERT INTO posts_fts (posts_fts, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, body ON posts
WHEN old.title IS NOT new.title OR old.body IS NOT new.body
BEGIN
  INSERT INTO posts_fts (posts_fts, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO posts_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;
)sql"},
    Migration{8, R"sql(
-- System stats (StatsService): one row per sample of one server, and the
-- hourly aggregates retention folds old samples into. An aggregate keeps,
-- per measurement, how many samples had it, their sum, minimum and maximum,
-- so hourly rows add up into days exactly.
CREATE TABLE system_samples (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  timestamp INTEGER NOT NULL,
  hostname TEXT NOT NULL,
  cpu_percent REAL,
  memory_percent REAL,
  memory_used_bytes INTEGER,
  memory_total_bytes INTEGER,
  disk_percent REAL,
  disk_used_bytes INTEGER,
  disk_total_bytes INTEGER,
  load_avg_1 REAL
);
-- Range reads, newest first, and retention's oldest-first scans.
CREATE INDEX system_samples_timestamp ON system_samples (timestamp, id);
CREATE TABLE system_stats_hourly (
  hostname TEXT NOT NULL,
  bucket_start INTEGER NOT NULL,
  samples INTEGER NOT NULL,
  cpu_percent_count INTEGER NOT NULL,
  cpu_percent_sum REAL NOT NULL,
  cpu_percent_min REAL,
  cpu_percent_max REAL,
  memory_percent_count INTEGER NOT NULL,
  memory_percent_sum REAL NOT NULL,
  memory_percent_min REAL,
  memory_percent_max REAL,
  memory_used_bytes_count INTEGER NOT NULL,
  memory_used_bytes_sum REAL NOT NULL,
  memory_used_bytes_min REAL,
  memory_used_bytes_max REAL,
  memory_total_bytes_count INTEGER NOT NULL,
  memory_total_bytes_sum REAL NOT NULL,
  memory_total_bytes_min REAL,
  memory_total_bytes_max REAL,
  disk_percent_count INTEGER NOT NULL,
  disk_percent_sum REAL NOT NULL,
  disk_percent_min REAL,
  disk_percent_max REAL,
  disk_used_bytes_count INTEGER NOT NULL,
  disk_used_bytes_sum REAL NOT NULL,
  disk_used_bytes_min REAL,
  disk_used_bytes_max REAL,
  disk_total_bytes_count INTEGER NOT NULL,
  disk_total_bytes_sum REAL NOT NULL,
  disk_total_bytes_min REAL,
  disk_total_bytes_max REAL,
  load_avg_1_count INTEGER NOT NULL,
  load_avg_1_sum REAL NOT NULL,
  load_avg_1_min REAL,
  load_avg_1_max REAL,
  PRIMARY KEY (bucket_start, hostname)
);
)sql"},
};

int read_user_version(Connection& conn) {
  Statement st = conn.prepare("PRAGMA user_version");
  return st.step() ? static_cast<int>(st.int64(0)) : 0;
}

[[noreturn]] void refuse_newer(Connection& conn, int found) {
  conn.logger().log(LogLevel::kError,
                    "database schema version " + std::to_string(found) +
                        " is newer than " + std::to_string(latest_schema_version()));
  throw Error::internal("Database schema is newer than this version of taskcore.");
}

}  // namespace

std::int64_t approximate_task_rows(Connection& conn) {
  Statement st = conn.prepare("SELECT MAX(rowid) FROM tasks");
  return st.step() ? st.int64(0) : 0;
}

std::optional<std::int64_t> analyzed_task_rows(Connection& conn) {
  {
    Statement st = conn.prepare(
        "SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'");
    if (!st.step()) return std::nullopt;
  }
  // The stat text starts with the row count of the table.
  Statement st = conn.prepare(
      "SELECT CAST(stat AS INTEGER) FROM sqlite_stat1 "
      "WHERE tbl = 'tasks' AND idx = 'tasks_created_at'");
  if (!st.step()) return std::nullopt;
  return st.int64(0);
}

void analyze(Connection& conn) {
  // Exact statistics: sampled ones (analysis_limit) misjudged whether an
  // equality filter on 100k tasks is worth an index in our measurements.
  conn.exec("PRAGMA analysis_limit = 0");
  conn.exec("ANALYZE");
}

int latest_schema_version() { return kMigrations.back().version; }

void migrate(Connection& conn) {
  const int found = read_user_version(conn);
  if (found > latest_schema_version()) refuse_newer(conn, found);
  if (found == latest_schema_version()) return;
  for (const Migration& migration : kMigrations) {
    // Checked again inside the write lock: another process may have
    // migrated since we looked.
    conn.exec("BEGIN IMMEDIATE");
    try {
      const int current = read_user_version(conn);
      if (current > latest_schema_version()) refuse_newer(conn, current);
      if (current < migration.version) {
        conn.exec(migration.sql);
        conn.exec(("PRAGMA user_version = " + std::to_string(migration.version))
                      .c_str());
      }
      conn.exec("COMMIT");
    } catch (...) {
      if (sqlite3_get_autocommit(conn.handle()) == 0)
        sqlite3_exec(conn.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }
}

}  // namespace taskcore::sqlite
