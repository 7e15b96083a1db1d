#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "taskcore/export.h"
#include "taskcore/pagination.h"
#include "taskcore/query_params.h"
#include "taskcore/time.h"

namespace taskcore {

// One append-only record of who did what. The core writes one in the same
// transaction as every change it makes (and for failed logins).
struct AuditEntry {
  std::int64_t id = 0;  // given by the store
  Timestamp timestamp = 0;
  std::optional<std::int64_t> actor_id;  // null: no logged-in caller
  std::string action;                    // one of the kAudit* names
  std::string target_type;               // "task", "user", ...
  std::optional<std::int64_t> target_id;  // null when there are many
  std::string details_json = "{}";        // a JSON object
  std::string ip;
  std::string request_id;
};

// The actions the core records (AuditEntry::action).
inline constexpr const char* kAuditLogin = "login";
inline constexpr const char* kAuditLoginFailed = "login_failed";
inline constexpr const char* kAuditLogout = "logout";
inline constexpr const char* kAuditRefreshReuse = "refresh_reuse";
inline constexpr const char* kAuditRegister = "register";
inline constexpr const char* kAuditUserCreate = "user_create";
inline constexpr const char* kAuditUserUpdate = "user_update";
inline constexpr const char* kAuditUserToggleActive = "user_toggle_active";
inline constexpr const char* kAuditPasswordChange = "password_change";
inline constexpr const char* kAuditPasswordReset = "password_reset";
inline constexpr const char* kAuditPasswordResetConfirm = "password_reset_confirm";
inline constexpr const char* kAuditTaskCreate = "task_create";
inline constexpr const char* kAuditTaskUpdate = "task_update";
inline constexpr const char* kAuditTaskDelete = "task_delete";
inline constexpr const char* kAuditBulkCreate = "bulk_create";
inline constexpr const char* kAuditBulkUpdate = "bulk_update";
inline constexpr const char* kAuditBulkDelete = "bulk_delete";
inline constexpr const char* kAuditMediaUpload = "media_upload";
inline constexpr const char* kAuditMediaDelete = "media_delete";
inline constexpr const char* kAuditPostCreate = "post_create";
inline constexpr const char* kAuditPostUpdate = "post_update";
inline constexpr const char* kAuditPostDelete = "post_delete";

// Filters of the audit log; empty / nullopt = not filtered.
struct AuditFilter {
  std::vector<std::int64_t> actor_ids;
  std::vector<std::string> actions;
  std::optional<std::string> target_type;
  std::optional<Timestamp> start;  // inclusive
  std::optional<Timestamp> end;    // inclusive
};

// Reads actor_id (multi), action (multi), target_type, start and end
// (each a date, inclusive as whole UTC days, or an ISO-8601 UTC timestamp).
// Throws validation_error naming each bad parameter.
TASKCORE_EXPORT AuditFilter parse_audit_filter(const QueryParams& params);

struct AuditListQuery {
  AuditFilter filter;
  PageRequest page;
};
// parse_audit_filter and parse_page_request, every bad parameter of both
// in one validation_error.
TASKCORE_EXPORT AuditListQuery parse_audit_list_query(const QueryParams& params);

}  // namespace taskcore
