#pragma once

namespace taskcore {

// How a read inside a write transaction treats the rows it returns.
// kForUpdate keeps other writers off them until the transaction ends
// (`SELECT ... FOR UPDATE` on a backend with concurrent writers; a no-op
// where writes are serialized anyway, as in SQLite). Reads of several rows
// lock them in id order, so two bulk operations never deadlock.
enum class RowLock { kNone, kForUpdate };

}  // namespace taskcore
