#include "storage/sqlite/transaction.h"

namespace taskcore::sqlite {

std::optional<std::string> SqliteSettingStore::get(std::string_view key) {
  Statement st = tx_.conn.prepare("SELECT value FROM settings WHERE key = ?");
  st.bind(1, key);
  if (!st.step()) return std::nullopt;
  return st.text(0);
}

bool SqliteSettingStore::insert_if_absent(std::string_view key, std::string_view value) {
  tx_.require_writable();
  Statement st =
      tx_.conn.prepare("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)");
  st.bind(1, key);
  st.bind(2, value);
  st.run();
  return sqlite3_changes(tx_.conn.handle()) > 0;
}

}  // namespace taskcore::sqlite
