#!/usr/bin/env bash
# Checks the Python package as users get it, away from the source tree:
# installed by scripts/install-python.sh into a scratch prefix, and as a
# wheel built with Debian's tools (python3 -m build --no-isolation) and
# installed into a scratch venv. Reuses the configured BUILD_DIR.
#   scripts/check-python-package.sh build/release
set -euo pipefail
cd "$(dirname "$0")/.."
build="$(cd "${1:?usage: check-python-package.sh BUILD_DIR}" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The same few calls against each installed copy, run from an empty
# directory so nothing of the source tree is importable.
smoke() {
  (cd "$tmp" && "$@" - <<'PY'
import datetime, taskcore
with taskcore.open(":memory:", fast_passwords=True) as db:
    ada = db.users.create("ada", "ada@example.com", "correct horse battery", role="manager")
    db.tasks.create(ada, "installed", priority="high", due_date=datetime.date(2027, 1, 5))
    page = db.tasks.list(ada, priority=["high"], due_before=datetime.date(2027, 1, 31))
    assert page.count == 1 and page.results[0].title == "installed", page
    print("ok:", taskcore.__file__)
PY
  )
}

echo "-- scripts/install-python.sh --prefix (reusing $build)"
BUILD_DIR="$build" scripts/install-python.sh --prefix "$tmp/prefix" >/dev/null
site="$(echo "$tmp"/prefix/lib/python3*/dist-packages)"
PYTHONPATH="$site" smoke /usr/bin/python3
PYTHONPATH="$site" /usr/bin/python3 examples/python/import_tasks_csv.py "$tmp/import.db" \
  examples/python/tasks.csv 2>/dev/null | grep "^imported"

echo "-- wheel: python3 -m build --no-isolation --wheel"
cp -r bindings/python "$tmp/src"  # a build leaves build/ and egg-info behind
rm -rf "$tmp/src/build"
(cd "$tmp/src" && TASKCORE_BUILD_DIR="$build" /usr/bin/python3 -m build --no-isolation \
   --wheel --outdir "$tmp/dist" . >/dev/null)
wheel="$(ls "$tmp"/dist/taskcore-*.whl)"
echo "built $(basename "$wheel") ($(du -h "$wheel" | cut -f1))"
/usr/bin/python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q --no-index "$wheel"
smoke "$tmp/venv/bin/python"
echo "-- python package ok"
