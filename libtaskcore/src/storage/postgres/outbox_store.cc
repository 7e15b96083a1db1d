#include "storage/postgres/schema.h"
#include "storage/postgres/transaction.h"

namespace taskcore::postgres {

// Numbers must follow commit order across every server. A transaction-
// scoped advisory lock serializes appenders from here to their COMMIT (the
// core appends last, so the lock is held only for the commit itself); the
// next appender reads the newest number only after the previous holder's
// commit is visible (locks are released after the commit is). The NOTIFY
// is queued in the same transaction and delivered at commit, carrying only
// the last number: listeners read the rows themselves.
std::int64_t PgOutboxStore::append(std::int64_t count, Timestamp at, std::string_view payload) {
  tx_.require_writable();
  tx_.conn.query("SELECT pg_advisory_xact_lock($1)", Params().add(kOutboxLockKey));
  const Result r = tx_.conn.query(
      "WITH next AS (SELECT COALESCE((SELECT last_seq FROM outbox "
      "ORDER BY first_seq DESC LIMIT 1), 0) + 1 AS first_seq), "
      "appended AS (INSERT INTO outbox (first_seq, last_seq, created_at, payload) "
      "SELECT first_seq, first_seq + $1 - 1, $2, $3 FROM next "
      "RETURNING first_seq, last_seq) "
      "SELECT first_seq, pg_notify('" + std::string(kOutboxChannel) +
          "', last_seq::text) FROM appended",
      Params().add(count).add(at).add_bytes(payload));
  return r.int64(0, 0);
}

std::vector<OutboxRecord> PgOutboxStore::read_after(std::int64_t sequence,
                                                    std::size_t max_records) {
  // From the row holding `sequence` + 1 (one descending seek on the key).
  const Result r = tx_.conn.query(
      "SELECT first_seq, last_seq, created_at, payload FROM outbox "
      "WHERE first_seq >= COALESCE((SELECT first_seq FROM outbox WHERE first_seq <= $1 "
      "ORDER BY first_seq DESC LIMIT 1), 0) AND last_seq >= $1 "
      "ORDER BY first_seq LIMIT $2",
      Params().add(sequence + 1).add(static_cast<std::int64_t>(max_records)));
  std::vector<OutboxRecord> records;
  records.reserve(static_cast<std::size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) {
    OutboxRecord record;
    record.first_sequence = r.int64(row, 0);
    record.last_sequence = r.int64(row, 1);
    record.created_at = r.int64(row, 2);
    record.payload = r.bytes(row, 3);
    records.push_back(std::move(record));
  }
  return records;
}

std::int64_t PgOutboxStore::last_sequence() {
  const Result r =
      tx_.conn.query("SELECT last_seq FROM outbox ORDER BY first_seq DESC LIMIT 1");
  return r.empty() ? 0 : r.int64(0, 0);
}

std::int64_t PgOutboxStore::first_sequence() {
  const Result r = tx_.conn.query("SELECT first_seq FROM outbox ORDER BY first_seq LIMIT 1");
  if (!r.empty()) return r.int64(0, 0);
  return last_sequence() + 1;
}

std::int64_t PgOutboxStore::prune(std::int64_t up_to, Timestamp before) {
  tx_.require_writable();
  return tx_.conn
      .query("DELETE FROM outbox WHERE last_seq <= $1 AND created_at < $2 "
             "AND first_seq < (SELECT MAX(first_seq) FROM outbox)",
             Params().add(up_to).add(before))
      .affected();
}

}  // namespace taskcore::postgres
