#include "storage/sqlite/transaction.h"

namespace taskcore::sqlite {

// One writer at a time, and the newest row is never pruned: the next
// number is the newest row's last one plus one, in commit order.
std::int64_t SqliteOutboxStore::append(std::int64_t count, Timestamp at,
                                       std::string_view payload) {
  tx_.require_writable();
  const std::int64_t first = last_sequence() + 1;
  Statement st = tx_.conn.prepare(
      "INSERT INTO outbox (first_seq, last_seq, created_at, payload) "
      "VALUES (?, ?, ?, ?)");
  st.bind(1, first);
  st.bind(2, first + count - 1);
  st.bind(3, at);
  st.bind_blob(4, payload);
  st.run();
  return first;
}

std::vector<OutboxRecord> SqliteOutboxStore::read_after(std::int64_t sequence,
                                                        std::size_t max_records) {
  // From the row holding `sequence` + 1 (found by one seek on the rowid).
  Statement st = tx_.conn.prepare(
      "SELECT first_seq, last_seq, created_at, payload FROM outbox "
      "WHERE first_seq >= COALESCE((SELECT MAX(first_seq) FROM outbox "
      "WHERE first_seq <= ?1), 0) AND last_seq >= ?1 "
      "ORDER BY first_seq LIMIT ?2");
  st.bind(1, sequence + 1);
  st.bind(2, static_cast<std::int64_t>(max_records));
  std::vector<OutboxRecord> records;
  while (st.step()) {
    OutboxRecord record;
    record.first_sequence = st.int64(0);
    record.last_sequence = st.int64(1);
    record.created_at = st.int64(2);
    record.payload = std::string(st.blob_view(3));
    records.push_back(std::move(record));
  }
  return records;
}

std::int64_t SqliteOutboxStore::last_sequence() {
  Statement st =
      tx_.conn.prepare("SELECT last_seq FROM outbox ORDER BY first_seq DESC LIMIT 1");
  return st.step() ? st.int64(0) : 0;
}

std::int64_t SqliteOutboxStore::first_sequence() {
  Statement st = tx_.conn.prepare("SELECT first_seq FROM outbox ORDER BY first_seq LIMIT 1");
  if (st.step()) return st.int64(0);
  return last_sequence() + 1;
}

std::int64_t SqliteOutboxStore::prune(std::int64_t up_to, Timestamp before) {
  tx_.require_writable();
  Statement st = tx_.conn.prepare(
      "DELETE FROM outbox WHERE last_seq <= ? AND created_at < ? "
      "AND first_seq < (SELECT MAX(first_seq) FROM outbox)");
  st.bind(1, up_to);
  st.bind(2, before);
  st.run();
  return sqlite3_changes(tx_.conn.handle());
}

}  // namespace taskcore::sqlite
