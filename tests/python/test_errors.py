"""The exception hierarchy: one taskcore.Error subclass per stable code."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Callable, Dict, List, Type

import pytest

import taskcore
from taskcore import _errors
from conftest import PASSWORD, Team

CODES: Dict[Type[taskcore.Error], str] = {
    taskcore.ParseError: "parse_error",
    taskcore.ValidationError: "validation_error",
    taskcore.NotAuthenticated: "not_authenticated",
    taskcore.AuthenticationFailed: "authentication_failed",
    taskcore.PermissionDenied: "permission_denied",
    taskcore.NotFound: "not_found",
    taskcore.MethodNotAllowed: "method_not_allowed",
    taskcore.Conflict: "conflict",
    taskcore.PayloadTooLarge: "payload_too_large",
    taskcore.UnsupportedMediaType: "unsupported_media_type",
    taskcore.Throttled: "throttled",
    taskcore.InternalError: "internal_error",
    taskcore.ServiceUnavailable: "service_unavailable",
}


@pytest.mark.parametrize("cls, code", list(CODES.items()))
def test_hierarchy_and_codes(cls: Type[taskcore.Error], code: str) -> None:
    assert issubclass(cls, taskcore.Error)
    assert issubclass(cls, Exception)
    assert cls.code == code
    assert cls.__module__ == "taskcore"
    error = cls("Something went wrong.")
    assert error.code == code
    assert error.message == "Something went wrong."
    assert error.field_errors == {} and error.details == {}
    assert str(error) == "Something went wrong."
    assert repr(error) == f"{cls.__name__}('Something went wrong.', field_errors={{}})"
    assert _errors.from_core(code, "m", {}, {}).__class__ is cls


def test_every_exported_error_is_covered() -> None:
    exported = {getattr(taskcore, name) for name in taskcore.__all__}
    errors = {obj for obj in exported
              if isinstance(obj, type) and issubclass(obj, taskcore.Error)}
    assert errors == set(CODES) | {taskcore.Error}
    assert len(set(CODES.values())) == len(CODES)


def test_builtin_bases() -> None:
    assert issubclass(taskcore.ValidationError, ValueError)
    assert issubclass(taskcore.NotFound, LookupError)
    assert issubclass(taskcore.PermissionDenied, PermissionError)
    assert not issubclass(taskcore.Conflict, ValueError)


def test_unknown_code_keeps_its_name() -> None:
    error = _errors.from_core("brand_new_code", "New.", {}, {})
    assert type(error) is taskcore.Error
    assert error.code == "brand_new_code"
    assert taskcore.Error.code == "internal_error"


def test_str_lists_field_errors() -> None:
    error = taskcore.ValidationError("Invalid input.", {"title": ["Too long.", "Bad."],
                                                        "status": ["Nope."]})
    assert str(error) == "Invalid input. (title: Too long. Bad.; status: Nope.)"
    assert error.message == "Invalid input."
    assert error.args == ("Invalid input.",)


def test_errors_pickle_with_their_fields() -> None:
    error = taskcore.Throttled("Slow down.", {"x": ["y"]}, {"retry_after": 7})
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is taskcore.Throttled
    assert (copy.message, copy.field_errors, copy.details, copy.retry_after) == (
        "Slow down.", {"x": ["y"]}, {"retry_after": 7}, 7)


def test_validation_error_from_the_core(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(ValueError) as info:  # caught as the builtin
        db.tasks.create(team.manager, "", priority="meh")
    error = info.value
    assert isinstance(error, taskcore.ValidationError)
    assert error.code == "validation_error"
    assert error.message == "Invalid input."
    assert error.field_errors == {"title": ["This field may not be blank."],
                                  "priority": ['"meh" is not a valid choice.']}
    assert all(isinstance(v, list) for v in error.field_errors.values())
    assert error.details == {}
    assert str(error).startswith("Invalid input. (")
    assert "title: This field may not be blank." in str(error)


def test_not_found_is_a_lookup_error(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(LookupError) as info:
        db.tasks.get(team.manager, 424242)
    assert isinstance(info.value, taskcore.NotFound)
    assert (info.value.code, info.value.message) == ("not_found", "Not found.")
    try:
        db.users.get(team.admin, 424242)
    except KeyError:  # pragma: no cover - a LookupError, not a KeyError
        pytest.fail("NotFound must not be a KeyError")
    except LookupError:
        pass


def test_permission_denied_from_the_core(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(PermissionError) as info:
        db.tasks.create(team.viewer, "nope")
    error = info.value
    assert isinstance(error, taskcore.PermissionDenied)
    assert error.code == "permission_denied"
    assert error.message == "You do not have permission to perform this action."
    assert str(error) == error.message


def test_conflict_with_field_errors(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(taskcore.Conflict) as info:
        db.users.create("member", "x@example.com", PASSWORD)
    assert info.value.field_errors == {"username": ["A user with that username already exists."]}


def test_authentication_failed(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(taskcore.AuthenticationFailed) as info:
        db.auth.authenticate("not a token")
    assert info.value.code == "authentication_failed"
    assert info.value.message


def test_throttled_carries_retry_after(db: taskcore.Database, team: Team) -> None:
    caught: List[taskcore.Throttled] = []
    for _ in range(30):
        try:
            db.auth.login("viewer", "wrong password!")
        except taskcore.Throttled as error:
            caught.append(error)
            break
        except taskcore.AuthenticationFailed:
            continue
    assert caught, "login was never throttled"
    throttled = caught[0]
    assert throttled.code == "throttled"
    retry_after = throttled.details["retry_after"]
    assert isinstance(retry_after, int) and retry_after > 0
    assert throttled.retry_after == retry_after
    assert str(retry_after) in throttled.message


def test_unsupported_media_type(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(taskcore.UnsupportedMediaType) as info:
        db.media.upload(team.manager, b"plain text, not a picture", filename="a.txt")
    assert info.value.code == "unsupported_media_type"


def test_payload_too_large(db: taskcore.Database, team: Team, tmp_path: Path) -> None:
    big = tmp_path / "big.pdf"
    with big.open("wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(10 * 1024 * 1024 + 1)  # sparse: cheap to make
    with pytest.raises(taskcore.PayloadTooLarge) as info:
        db.media.upload(team.manager, big)
    assert info.value.code == "payload_too_large"
    assert info.value.details == {"max_bytes": 10 * 1024 * 1024}
    assert db.media.list(team.admin).count == 0


def test_service_unavailable(tmp_path: Path) -> None:
    db = taskcore.open(tmp_path / "t.db", fast_passwords=True)
    db.close()
    with pytest.raises(taskcore.ServiceUnavailable) as info:
        db.tasks.list(taskcore.Actor(1, "admin"))
    assert info.value.code == "service_unavailable"


def test_internal_error_on_a_bad_location(tmp_path: Path) -> None:
    with pytest.raises(taskcore.Error) as info:
        taskcore.open(tmp_path / "missing" / "t.db")
    assert info.value.code in ("internal_error", "service_unavailable")
    assert isinstance(info.value, (taskcore.InternalError, taskcore.ServiceUnavailable))


def test_none_actor_is_not_authenticated(db: taskcore.Database, team: Team) -> None:
    task = db.tasks.create(team.manager, "t")
    none: taskcore.ActorLike = None  # type: ignore[assignment]
    calls: List[Callable[[], object]] = [
        lambda: db.users.me(none),
        lambda: db.users.list(none),
        lambda: db.users.get(none, team.member.id),
        lambda: db.users.update(none, team.member.id, email="a@example.com"),
        lambda: db.users.toggle_active(none, team.member.id),
        lambda: db.auth.logout(none),
        lambda: db.auth.change_password(none, PASSWORD, "another password 1"),
        lambda: db.auth.reset_password(none, team.member.id),
        lambda: db.tasks.create(none, "x"),
        lambda: db.tasks.create_many(none, [{"title": "x"}]),
        lambda: db.tasks.get(none, task.id),
        lambda: db.tasks.update(none, task.id, title="x"),
        lambda: db.tasks.replace(none, task.id, "x"),
        lambda: db.tasks.delete(none, task.id),
        lambda: db.tasks.list(none),
        lambda: db.tasks.bulk_update(none, [task.id], status="done"),
        lambda: db.tasks.bulk_delete(none, [task.id]),
        lambda: db.media.upload(none, b"%PDF-1.4\n"),
        lambda: db.media.list(none),
        lambda: db.media.get(none, 1),
        lambda: db.media.delete(none, 1),
        lambda: db.posts.create(none, "x"),
        lambda: db.posts.update(none, 1, title="x"),
        lambda: db.posts.delete(none, 1),
        lambda: db.audit.list(none),
        lambda: db.realtime.subscribe(none),
        lambda: db.realtime.replay(none, ["tasks"], 0),
        lambda: db.realtime.wait(none, ["tasks"], 0, 0.01),
        lambda: db.realtime.presence(none, "tasks"),
    ]
    for call in calls:
        with pytest.raises(taskcore.NotAuthenticated) as info:
            call()
        assert info.value.code == "not_authenticated"
        assert info.value.message == "Authentication credentials were not provided."
    assert db.tasks.get(team.manager, task.id) == task


def test_catching_the_base_class(db: taskcore.Database, team: Team) -> None:
    failures: List[taskcore.Error] = []
    calls: List[Callable[[], object]] = [
        lambda: db.tasks.get(team.manager, 999),
        lambda: db.tasks.create(team.viewer, "x"),
        lambda: db.tasks.create(team.manager, ""),
        lambda: db.auth.login("member", "wrong password")]
    for call in calls:
        try:
            call()
        except taskcore.Error as error:
            failures.append(error)
    assert [f.code for f in failures] == ["not_found", "permission_denied",
                                          "validation_error", "authentication_failed"]
