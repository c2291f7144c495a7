"""Starting the Flink job from the main environment: find `.venv-flink`, resume from the last checkpoint.

The job runs in its own interpreter (`.venv-flink/bin/python -m fanzha.stream.flink.job`), a local
Flink cluster in that process's JVM: every endpoint on 127.0.0.1, logs and RocksDB files under the
state directory. Nothing here imports PyFlink, so the embedded default never needs it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import fanzha
from fanzha.stream.flink.intake import chunks_needed

FLINK_PYTHON_ENV = "FANZHA_FLINK_PYTHON"
_COMPLETED = re.compile(r"Completed checkpoint (\d+) for job \w+ \((\d+) bytes, checkpointDuration=(\d+) ms")


class FlinkNotInstalledError(Exception):
    """No Flink environment: `sh scripts/install-flink.sh` makes one."""


@dataclass(frozen=True)
class Launch:
    """What `fanzha flink run` was asked to do."""

    source: Path
    database_url: str
    state_dir: Path
    parallelism: int = 1
    bounded: bool = False
    checkpoint_ms: int = 10_000
    out_of_orderness_s: float = 300
    lateness_s: float = 86_400
    dedup_hours: float = 24
    chunk: int = 500
    full_checkpoints: bool = False
    resume: bool = True
    max_rate: float = 0
    state_ttl_days: float = 0


@dataclass(frozen=True)
class Checkpoint:
    number: int
    bytes: int
    millis: int


@dataclass
class Outcome:
    returncode: int
    seconds: float
    resumed_from: str | None
    checkpoints: list[Checkpoint] = field(default_factory=list)


def repo_root() -> Path:
    return Path(fanzha.__file__).resolve().parents[2]


def flink_python() -> Path:
    """The interpreter of the Flink environment."""
    named = os.environ.get(FLINK_PYTHON_ENV)
    candidates = (
        [Path(named)] if named else [repo_root() / ".venv-flink/bin/python", Path(".venv-flink/bin/python")]
    )
    for candidate in candidates:
        if candidate.exists():
            return candidate
    raise FlinkNotInstalledError(
        "no Flink environment (.venv-flink): run `sh scripts/install-flink.sh` first"
    )


def job_environment(python: Path, state_dir: Path) -> dict[str, str]:
    """The job's environment: Flink's embedded interpreter (thread mode) finds fanzha and the venv's
    packages through PYTHONPATH; logs go under the state directory."""
    site = subprocess.run(
        [str(python), "-c", "import site; print(site.getsitepackages()[0])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(fanzha.__file__).resolve().parents[1]), site])
    env["FLINK_LOG_DIR"] = str((state_dir / "log").resolve())
    return env


def latest_checkpoint(state_dir: Path) -> Path | None:
    """The newest complete checkpoint (a `chk-N` directory with its `_metadata`) under the state dir."""
    found = [m.parent for m in (state_dir / "checkpoints").glob("*/chk-*/_metadata")]
    return max(found, key=lambda p: p.stat().st_mtime, default=None)


def command(launch: Launch, python: Path, resume_from: Path | None) -> list[str]:
    args = [
        str(python), "-m", "fanzha.stream.flink.job",
        "--source", str(launch.source.resolve()),
        "--database-url", launch.database_url,
        "--state-dir", str(launch.state_dir.resolve()),
        "--parallelism", str(launch.parallelism),
        "--chunk", str(launch.chunk),
        "--checkpoint-ms", str(launch.checkpoint_ms),
        "--out-of-orderness-s", str(launch.out_of_orderness_s),
        "--lateness-s", str(launch.lateness_s),
        "--dedup-hours", str(launch.dedup_hours),
        "--max-rate", str(launch.max_rate),
        "--state-ttl-days", str(launch.state_ttl_days),
    ]  # fmt: skip
    if launch.bounded:
        args += ["--bounded", "--ticks", str(chunks_needed(launch.source, launch.chunk) + 1)]
    if launch.full_checkpoints:
        args.append("--full-checkpoints")
    if resume_from is not None:
        args += ["--resume-from", resume_from.resolve().as_uri()]
    return args


def start(launch: Launch) -> tuple[subprocess.Popen[bytes], Path | None]:
    """Start the job in its own process group; returns it and the checkpoint it resumes from."""
    python = flink_python()
    launch.state_dir.mkdir(parents=True, exist_ok=True)
    resume_from = latest_checkpoint(launch.state_dir) if launch.resume else None
    # The child keeps its own copy of the log's descriptor; ours is closed at once.
    with (launch.state_dir / "job.out").open("ab") as log:
        proc = subprocess.Popen(
            command(launch, python, resume_from),
            env=job_environment(python, launch.state_dir),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return proc, resume_from


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Stop the job's whole process group (the client and its JVM)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def run(launch: Launch, *, timeout: float | None = None) -> Outcome:
    """Run the job to its end (a bounded run) or until interrupted or `timeout` seconds."""
    started = time.perf_counter()
    proc, resumed = start(launch)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the job as Ctrl-C does
    try:
        proc.wait(timeout=timeout)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):
        pass
    finally:
        stop(proc)
        signal.signal(signal.SIGTERM, previous)
    return Outcome(
        proc.returncode,
        time.perf_counter() - started,
        str(resumed) if resumed else None,
        completed_checkpoints(launch.state_dir),
    )


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def completed_checkpoints(state_dir: Path) -> list[Checkpoint]:
    """Checkpoints the JobManager logged as completed: number, size, duration."""
    found: list[Checkpoint] = []
    for log in sorted((state_dir / "log").glob("*.log*")):
        for match in _COMPLETED.finditer(log.read_text(errors="replace")):
            found.append(Checkpoint(int(match[1]), int(match[2]), int(match[3])))
    return found


def listening(pids: Sequence[int]) -> list[str]:
    """Local addresses the given processes listen on (TCP), from `ss -ltnp`."""
    out = subprocess.run(["ss", "-H", "-ltnp"], check=True, capture_output=True, text=True).stdout
    wanted = {f"pid={pid}," for pid in pids}
    return [line.split()[3] for line in out.splitlines() if any(w in line for w in wanted)]


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (the job's JVM is a child of its Python client)."""
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], check=True, capture_output=True, text=True).stdout
    children: dict[int, list[int]] = {}
    for line in out.splitlines():
        child, parent = (int(x) for x in line.split())
        children.setdefault(parent, []).append(child)
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree
