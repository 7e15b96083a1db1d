// libtaskcore embedded in a program of its own, with no HTTP: users, tasks,
// a filtered list, bulk changes seen by a realtime subscriber, and a media
// upload, over one SQLite file.
//
//   taskcore_embedded_app [path/to/app.db [media-directory]]
//
// The database starts empty on every run; the media directory defaults to
// "<db>-media" next to it. Prints a report; exits 1 on any taskcore::Error.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "taskcore/sqlite_store.h"
#include "taskcore/taskcore.h"

using namespace taskcore;

namespace {

// ---- A real image: a 48x32 RGB PNG of four coloured quarters (119
// bytes, made once with Python's zlib), so the example needs no image file
// or library.

constexpr unsigned char kQuartersPng[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x20, 0x08, 0x02, 0x00, 0x00, 0x00, 0xdb, 0xb6, 0x6c,
    0x4b, 0x00, 0x00, 0x00, 0x3e, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0xed, 0xcf, 0x31, 0x0d, 0x00,
    0x30, 0x0c, 0x03, 0xc1, 0x00, 0x0b, 0x88, 0xc2, 0x09, 0xd8, 0xce, 0xc5, 0x51, 0x12, 0x56, 0xa6,
    0x93, 0x7e, 0xb6, 0xce, 0xf5, 0x4e, 0x47, 0xea, 0xb9, 0x91, 0x0a, 0x08, 0x08, 0x08, 0x08, 0x08,
    0x08, 0x08, 0x68, 0x19, 0x94, 0x1a, 0x4a, 0x1d, 0x03, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02,
    0x5a, 0x06, 0x7d, 0x5b, 0x05, 0x06, 0x88, 0x21, 0x5f, 0x12, 0x35, 0x00, 0x00, 0x00, 0x00, 0x49,
    0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

// ---- Report helpers.

TaskInput task(std::string title, std::string category, std::string priority,
               std::string due_date, std::string project = "website") {
  TaskInput input;
  input.title = std::optional<std::string>(std::move(title));
  input.category = std::optional<std::string>(std::move(category));
  input.priority = std::optional<std::string>(std::move(priority));
  input.due_date = std::optional<std::string>(std::move(due_date));
  input.project = std::optional<std::string>(std::move(project));
  return input;
}

void print_task(const Task& t) {
  std::printf("    #%-3lld %-28s %-7s %-7s %-11s due %s\n",
              static_cast<long long>(t.id), t.title.c_str(),
              t.category.value_or("-").c_str(),
              std::string(priority_name(t.priority)).c_str(),
              std::string(status_name(t.status)).c_str(),
              t.due_date ? format_date(*t.due_date).c_str() : "-");
}

void print_bulk(const char* what, const BulkResult& result) {
  std::printf("  %s: %lld succeeded, %zu failed\n", what,
              static_cast<long long>(result.succeeded), result.failures.size());
  for (const BulkFailure& f : result.failures)
    std::printf("    task %lld: %s (%s)\n", static_cast<long long>(f.task_id),
                std::string(error_code_name(f.code)).c_str(), f.message.c_str());
}

void print_event(const RealtimeEvent& e) {
  std::printf("    seq %-3lld %-13s via %-6s", static_cast<long long>(e.sequence),
              std::string(realtime_event_name(e.type)).c_str(), e.room.c_str());
  if (e.type == RealtimeEventType::kUserJoined || e.type == RealtimeEventType::kUserLeft)
    std::printf(" user %lld\n", static_cast<long long>(e.user_id));
  else if (e.task)
    std::printf(" task %lld \"%s\" now %s\n", static_cast<long long>(e.task_id),
                e.task->title.c_str(), std::string(status_name(e.task->status)).c_str());
  else
    std::printf(" task %lld\n", static_cast<long long>(e.task_id));
}

int run(const std::filesystem::path& db, const std::filesystem::path& media_dir) {
  Options options;
  options.store = open_sqlite_store({.path = db.string()});
  options.media.storage = open_local_media_storage(media_dir.string());
  // The default argon2id cost is right for a server; a demo wants speed.
  options.password_cost = PasswordCost::fast();
  Core core(std::move(options));

  // -- Users. Created with no caller (bootstrap); a Principal is who acts.
  const User ada = core.users().create_user(
      {"ada", "ada@example.com", "correct horse battery", Role::kManager});
  const User bob = core.users().create_user(
      {"bob", "bob@example.com", "another long secret", Role::kMember});
  const Principal manager{ada.id, ada.role, ""};
  const Principal member{bob.id, bob.role, ""};
  std::printf("users: %s (%s), %s (%s)\n", ada.username.c_str(),
              std::string(role_name(ada.role)).c_str(), bob.username.c_str(),
              std::string(role_name(bob.role)).c_str());

  // -- Tasks: one at a time, then several in one transaction.
  core.tasks().create(manager, task("Design the landing page", "design", "high", "2026-01-10"));
  TaskInput assigned = task("Fix login redirect", "web", "urgent", "2026-01-05");
  assigned.assigned_to = std::optional<std::int64_t>(bob.id);
  core.tasks().create(manager, assigned);
  const std::vector<Task> created = core.tasks().create_many(
      member, {task("Write release notes", "docs", "low", "2026-02-01", "release"),
               task("Landing page copy review", "design", "medium", "2026-01-20"),
               task("Migrate web fonts", "web", "high", "2026-03-01"),
               task("Compress hero images", "web", "high", "2026-01-25")});
  std::printf("tasks: 2 created, then %zu in one create_many\n", created.size());

  // -- A list as the HTTP API takes it: two categories, high or urgent, due
  //    in January, by due date, two per page.
  const QueryParams params{{"category", "web,design"}, {"priority", "high"},
                           {"priority", "urgent"},     {"due_date_end", "2026-01-31"},
                           {"ordering", "due_date"},   {"page_size", "2"}};
  const TaskListQuery query = parse_task_list_query(params);
  for (PageRequest page = query.page;; ++page.page) {
    const Page<Task> result = core.tasks().list(member, query.filter, page);
    std::printf("  list page %lld (%lld matching):\n", static_cast<long long>(page.page),
                static_cast<long long>(result.count));
    for (const Task& t : result.items) print_task(t);
    if (!result.has_next()) break;
  }

  // -- A realtime subscriber in the "tasks" room sees the bulk changes.
  auto subscriber = core.realtime().connect(manager);
  core.realtime().join(*subscriber, "tasks");
  const std::int64_t cursor = core.realtime().current_cursor();

  BulkUpdateInput update;
  for (const Task& t : created) update.task_ids.push_back(t.id);
  update.task_ids.push_back(9999);  // no such task: reported, not fatal
  update.updates.status = std::optional<std::string>("in_progress");
  update.update_keys = {"status"};
  print_bulk("bulk update (status in_progress)", core.tasks().bulk_update(manager, update));

  BulkDeleteInput remove;
  remove.task_ids = {created[0].id, created[1].id};
  print_bulk("bulk delete", core.tasks().bulk_delete(manager, remove));

  // Delivery happens on the committing thread, so the events are already
  // queued; wait() would block up to its timeout for a slower producer.
  std::printf("  subscriber in %zu rooms received:\n", subscriber->rooms().size());
  std::size_t task_events = 0;
  for (auto events = subscriber->wait(std::chrono::seconds(2)); !events.empty();
       events = subscriber->wait(std::chrono::milliseconds(200))) {
    for (const RealtimeEvent& e : events) {
      print_event(e);
      if (e.sequence != 0) ++task_events;
    }
  }
  // A client that was away replays the same changes from its cursor.
  const RealtimeBatch replay = core.realtime().read(manager, {"tasks"}, cursor);
  std::printf("  replay from cursor %lld: %zu events, next cursor %lld\n",
              static_cast<long long>(cursor), replay.events.size(),
              static_cast<long long>(replay.cursor));
  core.realtime().disconnect(*subscriber);
  if (task_events != replay.events.size()) {
    std::fprintf(stderr, "live events (%zu) and replay (%zu) disagree\n", task_events,
                 replay.events.size());
    return 1;
  }

  // -- Media: upload a PNG (the type comes from the bytes), list, delete.
  const std::filesystem::path png = db.parent_path() / "quarters.png";
  std::ofstream(png, std::ios::binary)
      .write(reinterpret_cast<const char*>(kQuartersPng), sizeof kQuartersPng);
  const std::vector<MediaFile> uploaded =
      core.media().upload(member, {{png.string(), "quarters.png"}});
  std::filesystem::remove(png);  // the caller owns the uploaded file
  const Page<MediaFile> media = core.media().list(member, MediaFilter{}, PageRequest{});
  std::printf("media: %lld file(s)\n", static_cast<long long>(media.count));
  for (const MediaFile& m : media.items)
    std::printf("    #%lld %s as %s, %s, %lld bytes, %lldx%lld, thumbnail %s\n",
                static_cast<long long>(m.id), m.original_filename.c_str(),
                m.filename.c_str(), std::string(media_type_name(m.file_type)).c_str(),
                static_cast<long long>(m.file_size),
                static_cast<long long>(m.width.value_or(0)),
                static_cast<long long>(m.height.value_or(0)),
                m.thumbnail_filename.value_or("-").c_str());
  core.media().remove(member, uploaded.at(0).id);
  std::printf("  deleted #%lld; %lld left\n", static_cast<long long>(uploaded[0].id),
              static_cast<long long>(
                  core.media().list(member, MediaFilter{}, PageRequest{}).count));

  // -- Every change above left an audit entry (admins read the log).
  const User root = core.users().create_user(
      {"root", "root@example.com", "yet another secret", Role::kAdmin});
  const Page<AuditEntry> audit =
      core.audit().list({root.id, root.role, ""}, AuditFilter{}, PageRequest{});
  std::printf("audit: %lld entries, newest %s\n", static_cast<long long>(audit.count),
              audit.items.empty() ? "-" : audit.items.front().action.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path db =
      std::filesystem::absolute(argc > 1 ? argv[1] : "embedded_app.db");
  const std::filesystem::path media_dir =
      argc > 2 ? std::filesystem::path(argv[2])
               : db.parent_path() / (db.filename().string() + "-media");
  // Start from an empty database every run.
  for (const char* suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(db.string() + suffix);
  std::filesystem::remove_all(media_dir);

  try {
    return run(db, media_dir);
  } catch (const Error& e) {
    std::fprintf(stderr, "error %s: %s\n", std::string(error_code_name(e.code())).c_str(),
                 e.what());
    for (const auto& [field, messages] : e.field_errors())
      for (const std::string& message : messages)
        std::fprintf(stderr, "  %s: %s\n", field.c_str(), message.c_str());
    return 1;
  }
}
