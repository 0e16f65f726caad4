"""Compile the lock files from the requirement files (run through `make lock`).

``requirements/*.txt`` (other than the locks) name what the project needs, as ranges.
``lock.txt`` pins every package that ``prod.txt`` (and so ``base.txt``) installs, and
``lock-dev.txt`` every package of ``dev.txt``, for every platform and Python >= 3.11
(uv's universal resolution). ``make`` installs the ranges with a lock as pip constraints,
so every machine gets the versions CI tested.

Each lock starts with a digest of the requirement files it was compiled from;
``config/tests/test_requirements_lock.py`` fails when they changed since (edit a range,
forget ``make lock``, and the suite says so).

    python requirements/lock.py            # keep current pins where the ranges allow
    python requirements/lock.py --upgrade  # newest versions the ranges allow
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON_VERSION = "3.11"  # the oldest Python the project supports; markers cover newer ones
DIGEST_PREFIX = "# requirements-sha256: "
LOCKS = {
    # lock file: (requirement file it is compiled from, locks it must agree with)
    "lock.txt": ("prod.txt", ()),
    "lock-dev.txt": ("dev.txt", ("lock.txt",)),
}


def requirement_files() -> list[Path]:
    return sorted(path for path in HERE.glob("*.txt") if not path.name.startswith("lock"))


def digest() -> str:
    """One digest of every requirement file, names and contents."""
    sha = hashlib.sha256()
    for path in requirement_files():
        sha.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()


def recorded_digest(lock: Path) -> str | None:
    for line in lock.read_text().splitlines():
        if line.startswith(DIGEST_PREFIX):
            return line.removeprefix(DIGEST_PREFIX).strip()
    return None


def compile_lock(name: str, upgrade: bool) -> None:
    source, constraints = LOCKS[name]
    output = HERE / name
    command = [
        sys.executable,
        "-m",
        "uv",
        "pip",
        "compile",
        "--quiet",
        "--universal",
        "--python-version",
        PYTHON_VERSION,
        "--custom-compile-command",
        "make lock",
        str((HERE / source).relative_to(HERE.parent)),
        "--output-file",
        str(output.relative_to(HERE.parent)),
    ]
    for constraint in constraints:
        command += ["--constraint", str((HERE / constraint).relative_to(HERE.parent))]
    if upgrade:
        command.append("--upgrade")
    subprocess.run(command, check=True, cwd=HERE.parent)  # noqa: S603 (our own arguments)
    lines = output.read_text().splitlines(keepends=True)
    lines = [line for line in lines if not line.startswith(DIGEST_PREFIX)]
    # After uv's two header lines: what the lock was compiled from.
    lines.insert(2, f"{DIGEST_PREFIX}{digest()}\n")
    output.write_text("".join(lines))


def main(argv: list[str]) -> int:
    upgrade = "--upgrade" in argv
    for name in LOCKS:  # lock.txt first: lock-dev.txt is constrained by it
        compile_lock(name, upgrade)
    print(f"compiled {', '.join(LOCKS)} (requirements digest {digest()[:12]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
