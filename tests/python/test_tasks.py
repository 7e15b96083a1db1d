"""Tasks: CRUD, create_many, the filtered list, pagination, bulk changes."""

from __future__ import annotations

import datetime
from typing import Any, Callable, Dict, List

import pytest

import taskcore
from conftest import Team

UTC = datetime.timezone.utc
D = datetime.date


def test_create_with_every_field(db: taskcore.Database, team: Team) -> None:
    before = datetime.datetime.now(UTC) - datetime.timedelta(seconds=5)
    task = db.tasks.create(team.manager, "Ship it", description="the release",
                           status="in_progress", priority="high", category="work",
                           project="apollo", due_date=D(2030, 1, 2), assigned_to=team.member)
    assert isinstance(task, taskcore.Task)
    assert (task.title, task.description, task.status, task.priority) == (
        "Ship it", "the release", "in_progress", "high")
    assert (task.category, task.project) == ("work", "apollo")
    assert task.due_date == D(2030, 1, 2)
    assert type(task.due_date) is datetime.date
    assert task.assigned_to == team.member.id
    assert task.created_by == team.manager.id
    for stamp in (task.created_at, task.updated_at):
        assert isinstance(stamp, datetime.datetime)
        assert stamp.utcoffset() == datetime.timedelta(0)
        assert before <= stamp <= datetime.datetime.now(UTC) + datetime.timedelta(seconds=5)
    assert db.tasks.get(team.viewer, task.id) == task


def test_create_defaults(db: taskcore.Database, team: Team) -> None:
    task = db.tasks.create(team.member, "Minimal")
    assert (task.description, task.status, task.priority) == ("", "todo", "medium")
    assert (task.category, task.project, task.due_date, task.assigned_to) == (
        None, None, None, None)
    assert task.created_by == team.member.id


def test_dates_as_text_and_assignee_as_id(db: taskcore.Database, team: Team) -> None:
    task = db.tasks.create(team.manager, "Text date", due_date="2030-01-05",
                           assigned_to=team.member.id)
    assert task.due_date == D(2030, 1, 5)
    assert task.assigned_to == team.member.id


def test_none_clears_fields(db: taskcore.Database, team: Team) -> None:
    task = db.tasks.create(team.manager, "Full", category="work", project="p",
                           due_date=D(2030, 1, 1), assigned_to=team.member)
    cleared = db.tasks.update(team.manager, task.id, category=None, project=None,
                              due_date=None, assigned_to=None)
    assert (cleared.category, cleared.project, cleared.due_date, cleared.assigned_to) == (
        None, None, None, None)
    assert cleared.title == "Full"
    assert db.tasks.get(team.manager, task.id) == cleared


def test_update_is_partial(db: taskcore.Database, team: Team) -> None:
    task = db.tasks.create(team.manager, "Original", description="keep me", priority="low",
                           project="p")
    updated = db.tasks.update(team.manager, task.id, status="done")
    assert updated.status == "done"
    assert (updated.title, updated.description, updated.priority, updated.project) == (
        "Original", "keep me", "low", "p")
    assert updated.created_at == task.created_at
    assert updated.updated_at >= task.updated_at


def test_replace_needs_a_title(db: taskcore.Database, team: Team) -> None:
    task = db.tasks.create(team.manager, "Original", description="d", priority="low")
    replaced = db.tasks.replace(team.manager, task.id, "Replaced", priority="urgent")
    assert (replaced.title, replaced.priority) == ("Replaced", "urgent")
    assert replaced.description == "d"
    with pytest.raises(taskcore.ValidationError) as info:
        db.tasks.replace(team.manager, task.id, "")
    assert list(info.value.field_errors) == ["title"]


def test_delete(db: taskcore.Database, team: Team) -> None:
    task = db.tasks.create(team.manager, "Doomed")
    db.tasks.delete(team.manager, task.id)
    with pytest.raises(taskcore.NotFound):
        db.tasks.get(team.manager, task.id)
    with pytest.raises(taskcore.NotFound):
        db.tasks.delete(team.manager, task.id)
    with pytest.raises(taskcore.NotFound):
        db.tasks.update(team.manager, task.id, title="x")


@pytest.mark.parametrize("fields, errors", [
    ({"status": "bogus"}, {"status": ['"bogus" is not a valid choice.']}),
    ({"priority": "meh"}, {"priority": ['"meh" is not a valid choice.']}),
    ({"due_date": "2030-13-01"},
     {"due_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]}),
    ({"title": ""}, {"title": ["This field may not be blank."]}),
    ({"title": 5}, {"title": ["Not a valid string."]}),
    ({"description": 3}, {"description": ["Not a valid string."]}),
    ({"status": ["todo"]}, {"status": ["Not a valid string."]}),
    ({"due_date": 20300101}, {"due_date": ["Not a valid string."]}),
    ({"assigned_to": "x"}, {"assigned_to": ["A valid integer is required."]}),
    ({"assigned_to": True}, {"assigned_to": ["A valid integer is required."]}),
    ({"assigned_to": 99999}, {"assigned_to": ['Invalid pk "99999" - object does not exist.']}),
])
def test_field_errors(db: taskcore.Database, team: Team, fields: Dict[str, Any],
                      errors: Dict[str, List[str]]) -> None:
    task = db.tasks.create(team.manager, "Target")
    with pytest.raises(taskcore.ValidationError) as info:
        db.tasks.update(team.manager, task.id, **fields)
    assert info.value.field_errors == errors
    assert db.tasks.get(team.manager, task.id) == task


def test_several_field_errors_at_once(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(taskcore.ValidationError) as info:
        db.tasks.create(team.manager, 7, status=1, priority="x")  # type: ignore[arg-type]
    assert set(info.value.field_errors) == {"title", "status", "priority"}
    assert db.tasks.list(team.manager).count == 0


def test_unknown_field_is_a_type_error(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(TypeError, match="colour"):
        db.tasks.create(team.manager, "x", colour="red")
    with pytest.raises(TypeError, match="colour"):
        db.tasks.update(team.manager, 1, colour="red")


def test_create_many(db: taskcore.Database, team: Team) -> None:
    rows: List[Dict[str, Any]] = [
        {"title": "one", "priority": "low"},
        {"title": "two", "due_date": D(2030, 2, 1), "assigned_to": team.member},
        {"title": "three", "project": "p"},
    ]
    created = db.tasks.create_many(team.manager, rows)
    assert [t.title for t in created] == ["one", "two", "three"]
    assert created[1].due_date == D(2030, 2, 1)
    assert created[1].assigned_to == team.member.id
    assert len({t.id for t in created}) == 3
    assert db.tasks.list(team.manager).count == 3


def test_create_many_is_all_or_nothing(db: taskcore.Database, team: Team) -> None:
    rows: List[Dict[str, Any]] = [{"title": "ok"}, {"title": ""},
                                  {"title": "x", "priority": "bad"}]
    with pytest.raises(taskcore.ValidationError) as info:
        db.tasks.create_many(team.manager, rows)
    assert info.value.field_errors == {"1.title": ["This field may not be blank."],
                                       "2.priority": ['"bad" is not a valid choice.']}
    assert db.tasks.list(team.manager).count == 0


def test_create_many_type_errors_are_named_by_row(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(taskcore.ValidationError) as info:
        db.tasks.create_many(team.manager, [{"title": "ok"}, {"title": 3}])
    assert info.value.field_errors == {"1.title": ["Not a valid string."]}
    assert db.tasks.list(team.manager).count == 0


def test_viewer_cannot_write(db: taskcore.Database, team: Team) -> None:
    task = db.tasks.create(team.manager, "Managed")
    calls: List[Callable[[], object]] = [
        lambda: db.tasks.create(team.viewer, "nope"),
        lambda: db.tasks.create_many(team.viewer, [{"title": "nope"}]),
        lambda: db.tasks.update(team.viewer, task.id, title="nope"),
        lambda: db.tasks.delete(team.viewer, task.id)]
    for call in calls:
        with pytest.raises(taskcore.PermissionDenied):
            call()
    assert db.tasks.get(team.viewer, task.id) == task
    assert db.tasks.list(team.viewer).count == 1


def test_member_may_not_change_others_tasks(db: taskcore.Database, team: Team) -> None:
    mine = db.tasks.create(team.member, "mine")
    theirs = db.tasks.create(team.member2, "theirs")
    assert db.tasks.update(team.member, mine.id, status="done").status == "done"
    with pytest.raises(taskcore.PermissionDenied):
        db.tasks.update(team.member, theirs.id, title="hijacked")
    with pytest.raises(taskcore.PermissionDenied):
        db.tasks.delete(team.member, theirs.id)
    assert db.tasks.get(team.member, theirs.id).title == "theirs"
    # managers and admins may change anyone's
    assert db.tasks.update(team.manager, theirs.id, priority="low").priority == "low"
    assert db.tasks.update(team.admin, mine.id, priority="urgent").priority == "urgent"


def test_member_may_update_a_task_assigned_to_them(db: taskcore.Database, team: Team) -> None:
    task = db.tasks.create(team.manager, "for member", assigned_to=team.member)
    assert db.tasks.update(team.member, task.id, status="done").status == "done"
    with pytest.raises(taskcore.PermissionDenied):
        db.tasks.update(team.member2, task.id, status="todo")


@pytest.fixture
def listed(db: taskcore.Database, team: Team) -> Dict[str, taskcore.Task]:
    m = team.manager
    return {
        "a": db.tasks.create(m, "Alpha report", category="work", priority="high",
                             status="todo", project="p1", due_date=D(2030, 1, 1),
                             assigned_to=team.member),
        "b": db.tasks.create(m, "Beta review", category="personal", priority="low",
                             status="done", project="p2", due_date=D(2030, 1, 10)),
        "c": db.tasks.create(team.member, "Gamma reporting", category="urgent",
                             priority="urgent", status="in_progress", project="p1",
                             due_date=D(2030, 1, 20), assigned_to=team.member2),
        "d": db.tasks.create(team.member2, "Delta", priority="medium"),
    }


def titles(page: taskcore.Page[taskcore.Task]) -> List[str]:
    return [t.title for t in page]


def test_list_filters(db: taskcore.Database, team: Team,
                      listed: Dict[str, taskcore.Task]) -> None:
    who = team.viewer
    everything = db.tasks.list(who)
    assert everything.count == 4
    assert set(titles(everything)) == {"Alpha report", "Beta review", "Gamma reporting", "Delta"}
    assert set(titles(db.tasks.list(who, category=["work", "personal"]))) == {
        "Alpha report", "Beta review"}
    assert titles(db.tasks.list(who, category="urgent")) == ["Gamma reporting"]
    assert titles(db.tasks.list(who, priority="high")) == ["Alpha report"]
    assert set(titles(db.tasks.list(who, priority=["low", "urgent"]))) == {
        "Beta review", "Gamma reporting"}
    assert titles(db.tasks.list(who, status="done")) == ["Beta review"]
    assert set(titles(db.tasks.list(who, project="p1"))) == {"Alpha report", "Gamma reporting"}
    assert titles(db.tasks.list(who, assigned_to=team.member.id)) == ["Alpha report"]
    assert titles(db.tasks.list(who, assigned_to=team.member)) == ["Alpha report"]
    assert set(titles(db.tasks.list(who, assigned_to=[team.member, team.member2.id]))) == {
        "Alpha report", "Gamma reporting"}
    assert titles(db.tasks.list(who, created_by=team.member)) == ["Gamma reporting"]
    assert set(titles(db.tasks.list(who, created_by=team.manager.id))) == {
        "Alpha report", "Beta review"}
    # None means "not filtered"
    assert db.tasks.list(who, priority=None, status=None).count == 4
    # combined filters are ANDed
    assert titles(db.tasks.list(who, project="p1", priority="urgent")) == ["Gamma reporting"]


def test_list_due_range_is_inclusive(db: taskcore.Database, team: Team,
                                     listed: Dict[str, taskcore.Task]) -> None:
    who = team.viewer
    assert set(titles(db.tasks.list(who, due_after=D(2030, 1, 10)))) == {
        "Beta review", "Gamma reporting"}
    assert set(titles(db.tasks.list(who, due_before="2030-01-10"))) == {
        "Alpha report", "Beta review"}
    assert titles(db.tasks.list(who, due_after="2030-01-10", due_before=D(2030, 1, 10))) == [
        "Beta review"]
    assert db.tasks.list(who, due_after=D(2030, 1, 21)).count == 0


def test_list_search_is_a_prefix_search(db: taskcore.Database, team: Team,
                                        listed: Dict[str, taskcore.Task]) -> None:
    who = team.viewer
    assert set(titles(db.tasks.list(who, search="report"))) == {"Alpha report",
                                                                "Gamma reporting"}
    assert titles(db.tasks.list(who, search="Gam")) == ["Gamma reporting"]
    assert titles(db.tasks.list(who, search="alpha rep")) == ["Alpha report"]
    assert db.tasks.list(who, search="zzz").count == 0


def test_list_ordering(db: taskcore.Database, team: Team,
                       listed: Dict[str, taskcore.Task]) -> None:
    who = team.viewer
    dated = [t for t in db.tasks.list(who, ordering="-due_date") if t.due_date is not None]
    assert [t.title for t in dated] == ["Gamma reporting", "Beta review", "Alpha report"]
    by_title = db.tasks.list(who, ordering="title")
    assert titles(by_title) == ["Alpha report", "Beta review", "Delta", "Gamma reporting"]
    assert titles(db.tasks.list(who, ordering=["-title"])) == list(reversed(titles(by_title)))
    by_two = db.tasks.list(who, ordering=["-priority", "title"])
    assert titles(by_two)[0] == "Gamma reporting"  # urgent first
    assert titles(by_two)[-1] == "Beta review"  # low last


def test_list_bad_filters_name_the_parameter(db: taskcore.Database, team: Team) -> None:
    cases: List[tuple[Dict[str, Any], str]] = [
        ({"priority": "bogus"}, "priority"),
        ({"status": "bogus"}, "status"),
        ({"due_after": "not a date"}, "due_date_start"),
        ({"due_before": "2030-02-30"}, "due_date_end"),
        ({"ordering": "bogus"}, "ordering"),
        ({"assigned_to": "abc"}, "assigned_to"),
        ({"page_size": 0}, "page_size"),
    ]
    for filters, name in cases:
        with pytest.raises(taskcore.ValidationError) as info:
            db.tasks.list(team.viewer, **filters)
        assert name in info.value.field_errors, (filters, info.value.field_errors)


def test_list_unknown_keyword_is_a_type_error(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(TypeError, match="colour"):
        db.tasks.list(team.viewer, colour="red")
    with pytest.raises(TypeError):
        db.tasks.list(team.viewer, priority=object())


def test_pagination(db: taskcore.Database, team: Team) -> None:
    db.tasks.create_many(team.manager, [{"title": f"task {i:02d}"} for i in range(25)])
    first = db.tasks.list(team.viewer, ordering="title")
    assert isinstance(first, taskcore.Page)
    assert (first.count, first.page, first.page_size, first.has_next, first.has_previous) == (
        25, 1, 20, True, False)
    assert len(first) == 20 and len(first.results) == 20
    assert list(first) == first.results
    second = db.tasks.list(team.viewer, ordering="title", page=2)
    assert (second.page, second.has_next, second.has_previous, len(second)) == (2, False, True, 5)
    assert titles(first) + titles(second) == [f"task {i:02d}" for i in range(25)]
    small = db.tasks.list(team.viewer, ordering="title", page=3, page_size=7)
    assert titles(small) == [f"task {i:02d}" for i in range(14, 21)]
    assert (small.page_size, small.has_next, small.has_previous) == (7, True, True)
    with pytest.raises(taskcore.NotFound) as info:
        db.tasks.list(team.viewer, page=3)
    assert info.value.message == "Invalid page."
    capped = db.tasks.list(team.viewer, page_size=1000)
    assert capped.page_size == 100 and len(capped) == 25


def test_iter_all_is_lazy_and_complete(db: taskcore.Database, team: Team,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    db.tasks.create_many(team.manager, [{"title": f"bulk {i:03d}"} for i in range(130)])
    db.tasks.create(team.manager, "other", project="elsewhere")
    pages: List[int] = []
    real_list = db.tasks.list

    def counting_list(actor: taskcore.ActorLike, *, page: int = 1, page_size: int = 20,
                      **filters: Any) -> taskcore.Page[taskcore.Task]:
        pages.append(page)
        return real_list(actor, page=page, page_size=page_size, **filters)

    monkeypatch.setattr(db.tasks, "list", counting_list)
    iterator = db.tasks.iter_all(team.viewer, ordering="title")
    assert pages == []  # nothing fetched before the first next()
    first = next(iterator)
    assert first.title == "bulk 000"
    assert pages == [1]
    rest = list(iterator)
    assert pages == [1, 2]
    assert len(rest) + 1 == 131
    assert len({t.id for t in rest} | {first.id}) == 131
    filtered = list(db.tasks.iter_all(team.viewer, project="elsewhere"))
    assert [t.title for t in filtered] == ["other"]


def test_bulk_update(db: taskcore.Database, team: Team) -> None:
    a = db.tasks.create(team.manager, "a")
    b = db.tasks.create(team.manager, "b")
    result = db.tasks.bulk_update(team.manager, [a.id, b.id, 99999], status="done",
                                  due_date=D(2031, 1, 1), priority="high")
    assert isinstance(result, taskcore.BulkResult)
    assert result.succeeded == 2
    assert result.failures == [taskcore.BulkFailure(99999, "not_found", "Not found.")]
    for task_id in (a.id, b.id):
        task = db.tasks.get(team.manager, task_id)
        assert (task.status, task.due_date, task.priority) == ("done", D(2031, 1, 1), "high")
    assigned = db.tasks.bulk_update(team.manager, [a.id], assigned_to=team.member.id,
                                    due_date="2032-02-02")
    assert assigned.succeeded == 1 and assigned.failures == []
    assert db.tasks.get(team.manager, a.id).assigned_to == team.member.id
    assert db.tasks.get(team.manager, a.id).due_date == D(2032, 2, 2)


def test_bulk_update_permissions(db: taskcore.Database, team: Team) -> None:
    mine = db.tasks.create(team.member, "mine")
    theirs = db.tasks.create(team.manager, "theirs")
    result = db.tasks.bulk_update(team.member, [mine.id, theirs.id], status="done")
    assert result.succeeded == 1
    assert len(result.failures) == 1
    failure = result.failures[0]
    assert (failure.task_id, failure.code) == (theirs.id, "permission_denied")
    assert failure.message
    assert db.tasks.get(team.member, mine.id).status == "done"
    assert db.tasks.get(team.member, theirs.id).status == "todo"


def test_bulk_update_input_errors(db: taskcore.Database, team: Team) -> None:
    task = db.tasks.create(team.manager, "t")
    with pytest.raises(taskcore.ValidationError) as info:
        db.tasks.bulk_update(team.manager, [task.id], status=3)
    assert info.value.field_errors == {"updates.status": ["Not a valid string."]}
    with pytest.raises(taskcore.ValidationError) as info:
        db.tasks.bulk_update(team.manager, [task.id], colour="red")
    assert info.value.field_errors == {"updates.colour": ["Unknown field."]}
    with pytest.raises(taskcore.ValidationError) as info:
        db.tasks.bulk_update(team.manager, [])
    assert set(info.value.field_errors) == {"task_ids", "updates"}
    assert db.tasks.get(team.manager, task.id) == task


def test_bulk_update_assigns_a_user_object(db: taskcore.Database, team: Team) -> None:
    task = db.tasks.create(team.manager, "t")
    result = db.tasks.bulk_update(team.manager, [task.id], assigned_to=team.member)
    assert result.succeeded == 1
    assert db.tasks.get(team.manager, task.id).assigned_to == team.member.id


def test_bulk_delete(db: taskcore.Database, team: Team) -> None:
    mine = db.tasks.create(team.member, "mine")
    theirs = db.tasks.create(team.manager, "theirs")
    result = db.tasks.bulk_delete(team.member, [mine.id, theirs.id, 12345])
    assert result.succeeded == 1
    assert sorted((f.task_id, f.code) for f in result.failures) == sorted(
        [(theirs.id, "permission_denied"), (12345, "not_found")])
    with pytest.raises(taskcore.NotFound):
        db.tasks.get(team.member, mine.id)
    assert db.tasks.get(team.member, theirs.id).title == "theirs"
    everything = db.tasks.bulk_delete(team.admin, [theirs.id])
    assert (everything.succeeded, everything.failures) == (1, [])
    assert db.tasks.list(team.admin).count == 0


def test_bulk_ids_must_be_integers(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(taskcore.ValidationError) as info:
        db.tasks.bulk_delete(team.manager, ["1"])  # type: ignore[list-item]
    assert list(info.value.field_errors) == ["task_ids"]
    assert "A valid integer is required." in info.value.field_errors["task_ids"]
