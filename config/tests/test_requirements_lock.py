"""The locks match the requirements: edit requirements/*.txt without `make lock` and this fails."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements"


def _load_lock_script(folder: Path = REQUIREMENTS) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"lock_{abs(hash(folder))}", folder / "lock.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _requirements(path: Path) -> list[Requirement]:
    """The requirements a file names, following ``-r other.txt``."""
    found: list[Requirement] = []
    for raw in path.read_text().splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-r ", "--requirement ")):
            found += _requirements(path.parent / line.split(None, 1)[1])
            continue
        found.append(Requirement(line))
    return found


def _pins(lock: Path) -> dict[str, str]:
    """Package -> version pinned for this machine's environment (markers evaluated)."""
    pins: dict[str, str] = {}
    for raw in lock.read_text().splitlines():
        if not raw or raw[0] in "# -":
            continue
        requirement = Requirement(raw)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", raw
        pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


@pytest.mark.parametrize("lock_name", ["lock.txt", "lock-dev.txt"])
def test_each_lock_was_compiled_from_the_current_requirement_files(lock_name):
    lock = _load_lock_script()
    recorded = lock.recorded_digest(REQUIREMENTS / lock_name)
    assert recorded == lock.digest(), (
        f"requirements/*.txt changed since requirements/{lock_name} was compiled: run `make lock` "
        "and commit the locks with the change"
    )


def test_the_check_notices_an_edited_requirement_file(tmp_path):
    copy = tmp_path / "requirements"
    shutil.copytree(REQUIREMENTS, copy)
    lock = _load_lock_script(copy)
    assert lock.recorded_digest(copy / "lock.txt") == lock.digest()

    base = copy / "base.txt"
    base.write_text(base.read_text() + "some-new-package>=1\n")

    assert lock.recorded_digest(copy / "lock.txt") != lock.digest()


@pytest.mark.parametrize(("source", "lock_name"), [("prod.txt", "lock.txt"), ("dev.txt", "lock-dev.txt")])
def test_every_requirement_has_a_pin_in_its_range(source, lock_name):
    pins = _pins(REQUIREMENTS / lock_name)
    problems = []
    for requirement in _requirements(REQUIREMENTS / source):
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        pinned = pins.get(canonicalize_name(requirement.name))
        if pinned is None:
            problems.append(f"{requirement.name} is not in {lock_name}")
        elif not requirement.specifier.contains(pinned, prereleases=True):
            problems.append(f"{requirement.name}=={pinned} is outside {requirement.specifier}")
    assert not problems, "; ".join(problems) + " (run `make lock`)"


def test_the_dev_lock_pins_the_runtime_packages_at_the_same_versions():
    runtime = _pins(REQUIREMENTS / "lock.txt")
    dev = _pins(REQUIREMENTS / "lock-dev.txt")
    differing = {
        name: (version, dev.get(name)) for name, version in runtime.items() if dev.get(name) != version
    }
    assert not differing


def test_the_locks_hold_only_exact_pins_pip_accepts_as_constraints():
    for lock_name in ("lock.txt", "lock-dev.txt"):
        for raw in (REQUIREMENTS / lock_name).read_text().splitlines():
            if not raw or raw[0] in "# ":
                continue
            # pip refuses extras, URLs and editables in a constraints file.
            assert re.fullmatch(r"[A-Za-z0-9._-]+==[^\s;\[]+( ; .+)?", raw), raw
