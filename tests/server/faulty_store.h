#pragma once

// A Store that forwards to another one and fails on demand, built on the
// library's StoreWrapper, so tests can provoke internal errors over HTTP.

#include <atomic>
#include <memory>
#include <stdexcept>

#include "taskcore/store_wrapper.h"

namespace taskcore::server::testing {

class FaultyStore final : public StoreWrapper {
 public:
  using StoreWrapper::StoreWrapper;

  // Task reads throw a runtime_error whose text must never reach a client.
  std::atomic<bool> fail_task_reads{false};
  // check_health() reports the database down.
  std::atomic<bool> fail_health{false};

  static constexpr const char* kSecret = "SELECT secret FROM /etc/passwd";

  void check_health() override {
    if (fail_health) throw Error(ErrorCode::kServiceUnavailable, "Database unavailable.");
    StoreWrapper::check_health();
  }

 protected:
  void within_read(Transaction& tx, const TransactionFn& fn) override {
    if (!fail_task_reads) return fn(tx);
    FailingTaskReads tasks(tx.tasks());
    TransactionWrapper wrapped(tx);
    wrapped.replace_tasks(&tasks);
    fn(wrapped);
  }

 private:
  struct FailingTaskReads final : TaskStoreWrapper {
    using TaskStoreWrapper::TaskStoreWrapper;
    std::optional<Task> find(std::int64_t, RowLock) override {
      throw std::runtime_error(kSecret);
    }
    Page<Task> query(const TaskFilter&, const PageRequest&) override {
      throw std::runtime_error(kSecret);
    }
  };
};

}  // namespace taskcore::server::testing
