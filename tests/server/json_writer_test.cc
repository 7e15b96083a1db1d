#include <doctest/doctest.h>

#include "json/task_json.h"
#include "json/writer.h"

namespace taskcore::server {

TEST_CASE("JsonWriter writes nested values with commas in the right places") {
  JsonWriter out;
  out.begin_object()
      .key("a").number(-12)
      .key("b").begin_array().string("x").null().number(3).begin_object().end_object().end_array()
      .key("c").optional_string(std::nullopt)
      .key("d").optional_number(7)
      .key("e").raw(R"({"k":[1,2]})")
      .end_object();
  const std::string text = out.take();
  CHECK(text == R"({"a":-12,"b":["x",null,3,{}],"c":null,"d":7,"e":{"k":[1,2]}})");
  CHECK(Json::parse(text)["e"]["k"][1] == 2);
}

TEST_CASE("JsonWriter escapes strings exactly as JSON requires") {
  const std::string nasty = std::string("quote\" back\\ nl\n tab\t cr\r bell\x07 nul") +
                            std::string(1, '\0') + " </script>";
  JsonWriter out;
  out.string(nasty);
  const std::string text = out.take();
  CHECK(Json::parse(text).get<std::string>() == nasty);
  CHECK(text.find('\n') == std::string::npos);

  JsonWriter utf8;
  utf8.string("caf\xc3\xa9 \xe2\x82\xac");
  CHECK(Json::parse(utf8.take()).get<std::string>() == "caf\xc3\xa9 \xe2\x82\xac");

  // Malformed UTF-8 never yields malformed JSON.
  JsonWriter broken;
  broken.string("bad \xff\xfe bytes");
  CHECK_NOTHROW(Json::parse(broken.take()));
}

TEST_CASE("a task serializes every contract field") {
  Task task;
  task.id = 42;
  task.title = "Title \"quoted\"";
  task.description = "multi\nline";
  task.status = TaskStatus::kInProgress;
  task.priority = TaskPriority::kUrgent;
  task.category = "web";
  task.due_date = Date{2025, 2, 3};
  task.created_by = 5;
  task.created_at = 1759062896789;
  task.updated_at = 1759062896790;
  const Json json = Json::parse(task_json_text(task));
  CHECK(json == Json{{"id", 42}, {"title", "Title \"quoted\""}, {"description", "multi\nline"},
                     {"status", "in_progress"}, {"priority", "urgent"}, {"category", "web"},
                     {"project", nullptr}, {"due_date", "2025-02-03"}, {"assigned_to", nullptr},
                     {"created_by", 5}, {"created_at", "2025-09-28T12:34:56.789Z"},
                     {"updated_at", "2025-09-28T12:34:56.790Z"}});
}

}  // namespace taskcore::server
