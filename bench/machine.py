"""The machine a result was measured on: CPU, memory, Python, Pulumi, the commit."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path


@dataclass(frozen=True)
class Machine:
    cpu: str
    cpus: int
    memory_gib: float
    system: str
    python: str
    pulumi_cli: str
    pulumi_sdk: str
    commit: str

    def describe(self) -> str:
        return (
            f"{self.cpus} x {self.cpu}, {self.memory_gib:.1f} GiB, {self.system}; Python {self.python}, "
            f"Pulumi CLI {self.pulumi_cli} (SDK {self.pulumi_sdk}); commit {self.commit}"
        )


def cpu_model(cpuinfo: str) -> str:
    """The first `model name` of /proc/cpuinfo (ARM kernels may name none)."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name":
            return value.strip()
    return platform.processor() or platform.machine()


def memory_gib(meminfo: str) -> float:
    """MemTotal of /proc/meminfo (kB) in GiB."""
    for line in meminfo.splitlines():
        key, _, value = line.partition(":")
        if key == "MemTotal":
            return int(value.split()[0]) / 1024**2
    raise ValueError("/proc/meminfo has no MemTotal")


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _output(*command: str, cwd: Path | None = None) -> str:
    try:
        return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def describe(pulumi: Path, repo: Path) -> Machine:
    meminfo = _read("/proc/meminfo")
    dirty = _output("git", "status", "--porcelain", cwd=repo)
    commit = _output("git", "rev-parse", "--short", "HEAD", cwd=repo)
    return Machine(
        cpu=cpu_model(_read("/proc/cpuinfo")),
        cpus=os.cpu_count() or 0,
        memory_gib=memory_gib(meminfo) if meminfo else 0.0,
        system=f"{platform.system()} {platform.release()}",
        python=platform.python_version(),
        pulumi_cli=_output(str(pulumi), "version"),
        pulumi_sdk=version("pulumi"),
        commit=commit + (" (with uncommitted changes)" if dirty not in ("", "unknown") else ""),
    )
