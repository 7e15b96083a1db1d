// DRF's ProhibitNullCharactersValidator: every text field refuses NUL.

#include <doctest/doctest.h>

#include "support/fixtures.h"

using namespace taskcore;
using taskcore::testing::CoreFixture;

namespace {

constexpr const char* kNullMessage = "Null characters are not allowed.";
const std::string kWithNull("a\0b", 3);

FieldErrors field_errors_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kValidationError);
    return e.field_errors();
  }
  FAIL("expected a validation error");
  return {};
}

}  // namespace

TEST_CASE_FIXTURE(CoreFixture, "task text fields refuse NUL characters") {
  Principal member = make_user("mem", Role::kMember);
  TaskInput input;
  input.title = std::optional<std::string>(kWithNull);
  input.description = std::optional<std::string>(kWithNull);
  input.category = std::optional<std::string>(kWithNull);
  input.project = std::optional<std::string>(kWithNull);
  const FieldErrors errors = field_errors_of([&] { core->tasks().create(member, input); });
  for (const char* field : {"title", "description", "category", "project"}) {
    CAPTURE(field);
    REQUIRE(errors.count(field) == 1);
    CHECK(errors.at(field) == std::vector<std::string>{kNullMessage});
  }

  // Updates too, and nothing is written.
  TaskInput ok;
  ok.title = std::optional<std::string>("fine");
  const Task task = core->tasks().create(member, ok);
  TaskInput patch;
  patch.description = std::optional<std::string>(std::string("x\0", 2));
  CHECK(field_errors_of([&] { core->tasks().update(member, task.id, patch, WriteMode::kPartial); })
            .at("description") == std::vector<std::string>{kNullMessage});
  CHECK(core->tasks().get(member, task.id).description == "");
}

TEST_CASE_FIXTURE(CoreFixture, "user text fields refuse NUL characters") {
  const FieldErrors errors = field_errors_of([&] {
    core->users().register_user(
        {kWithNull + "cd", "someone@example.com", "long enough" + kWithNull, Role::kMember});
  });
  CHECK(errors.at("username") == std::vector<std::string>{kNullMessage});
  CHECK(errors.at("password") == std::vector<std::string>{kNullMessage});

  const FieldErrors email = field_errors_of([&] {
    core->users().register_user({"someone", std::string("a\0b@example.com", 15),
                                 "long enough", Role::kMember});
  });
  CHECK(email.at("email") == std::vector<std::string>{kNullMessage});
}
