#include "storage/postgres/transaction.h"

namespace taskcore::postgres {

std::optional<std::string> PgSettingStore::get(std::string_view key) {
  const Result r = tx_.conn.query("SELECT value FROM settings WHERE key = $1", Params().add(key));
  if (r.empty()) return std::nullopt;
  return r.text(0, 0);
}

// Two servers starting at once both try; ON CONFLICT makes the loser's
// insert a no-op (it waits for the winner's commit) instead of an error.
bool PgSettingStore::insert_if_absent(std::string_view key, std::string_view value) {
  tx_.require_writable();
  return tx_.conn
             .query("INSERT INTO settings (key, value) VALUES ($1, $2) "
                    "ON CONFLICT (key) DO NOTHING",
                    Params().add(key).add(value))
             .affected() > 0;
}

}  // namespace taskcore::postgres
