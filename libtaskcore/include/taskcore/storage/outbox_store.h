#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "taskcore/export.h"
#include "taskcore/time.h"

namespace taskcore {

// One appended batch of events: events first_sequence..last_sequence,
// encoded by the core in `payload` (opaque to the store).
struct OutboxRecord {
  std::int64_t first_sequence = 0;
  std::int64_t last_sequence = 0;
  Timestamp created_at = 0;
  std::string payload;
};

// The event outbox inside one transaction (see Transaction). Every
// committed change appends its events here in the same transaction, so an
// event exists exactly when its change committed. Sequence numbers are
// consecutive and follow commit order across every writer of the
// database: a reader that has seen number N has seen every number below
// it once N is visible.
class TASKCORE_EXPORT OutboxStore {
 public:
  virtual ~OutboxStore() = default;

  // Appends `count` (>= 1) events and returns the number of the first; the
  // others follow it.
  virtual std::int64_t append(std::int64_t count, Timestamp at,
                              std::string_view payload) = 0;
  // Records holding events after `sequence`, in sequence order, at most
  // `max_records` of them. The first may also hold events <= `sequence`.
  virtual std::vector<OutboxRecord> read_after(std::int64_t sequence,
                                               std::size_t max_records) = 0;
  // The highest number appended so far (0 before the first event). It
  // survives pruning.
  virtual std::int64_t last_sequence() = 0;
  // The lowest number still stored (last_sequence() + 1 when none).
  virtual std::int64_t first_sequence() = 0;
  // Deletes records whose events are all <= `up_to` and that were appended
  // before `before`; returns how many records it deleted. The newest
  // record always stays.
  virtual std::int64_t prune(std::int64_t up_to, Timestamp before) = 0;
};

}  // namespace taskcore
