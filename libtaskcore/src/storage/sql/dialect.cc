#include "storage/sql/dialect.h"

#include <algorithm>

#include <charconv>

namespace taskcore::sql {

void Params::add(std::string& sql, SqlValue value) {
  values_.push_back(std::move(value));
  if (dialect_ == Dialect::kSqlite) {
    sql.push_back('?');
    return;
  }
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, values_.size());
  sql.push_back('$');
  sql.append(buf, end);
}

void append_cache_key(std::string& key, const std::vector<SqlValue>& values,
                      std::size_t count) {
  // Each value is tagged and length-prefixed so different value lists can
  // never produce the same key.
  for (std::size_t i = 0; i < count && i < values.size(); ++i) {
    const SqlValue& value = values[i];
    if (const auto* n = std::get_if<std::int64_t>(&value)) {
      key += "\x1fi";
      key += std::to_string(*n);
    } else if (const auto* b = std::get_if<bool>(&value)) {
      key += *b ? "\x1f" "b1" : "\x1f" "b0";
    } else {
      const auto& s = std::get<std::string>(value);
      key += "\x1fs";
      key += std::to_string(s.size());
      key.push_back(':');
      key += s;
    }
  }
}

void append_limit_offset(std::string& sql, Params& params, const PageRequest& page) {
  sql += " LIMIT ";
  params.add(sql, std::max<std::int64_t>(page.page_size, 0));
  sql += " OFFSET ";
  params.add(sql, std::max<std::int64_t>(page.offset(), 0));
}

}  // namespace taskcore::sql
