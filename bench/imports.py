"""What importing the package costs a Pulumi program beyond `import pulumi`.

Fresh interpreters, run alternately so that machine drift affects each command alike, time three
commands: `import pulumi`; `import pulumi, pulumi_relaytask`; and what a
program declaring tasks on every cloud imports (`from pulumi_relaytask import aliyun, huawei,
tencent`). `-X importtime` gives a second figure for each: the cumulative time of the package's
top-level imports, which counts only the modules `import pulumi` had not loaded already.
"""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "pulumi_relaytask"
BASELINE = "import pulumi"
WITH_PACKAGE = f"import pulumi, {PACKAGE}"
PROGRAM = f"import pulumi; from {PACKAGE} import aliyun, huawei, tencent"


@dataclass(frozen=True)
class ImportCost:
    runs: int
    pulumi_ms: float  # median wall time of `import pulumi`
    with_package_ms: float  # median wall time of `import pulumi, pulumi_relaytask`
    importtime_ms: float  # median of -X importtime's cumulative time of the package in that command
    program_ms: float  # median wall time of PROGRAM
    program_importtime_ms: float  # the same as importtime_ms, for PROGRAM

    @property
    def extra_ms(self) -> float:
        return self.with_package_ms - self.pulumi_ms

    @property
    def program_extra_ms(self) -> float:
        return self.program_ms - self.pulumi_ms

    @property
    def target_ms(self) -> float:
        """What the target holds to: the worst of both commands by both measures (the wall-clock difference
        is noisy; -X importtime misses nothing the package loads)."""
        return max(self.extra_ms, self.importtime_ms, self.program_extra_ms, self.program_importtime_ms)


def importtime_ms(stderr: str, package: str) -> float:
    """The cumulative time `-X importtime` reports for the top-level imports of `package` and its
    modules, in ms.

    Lines read `import time: <self us> | <cumulative us> | <indent><module>`; a top-level import has
    no indent (a module imported while another loads is part of that one's time)."""
    found = False
    total = 0
    for line in stderr.splitlines():
        fields = line.removeprefix("import time:").split("|")
        if not line.startswith("import time:") or len(fields) != 3:
            continue
        module = fields[2].rstrip().removeprefix(" ")  # a nested import keeps its indent
        if module == package or module.startswith(f"{package}."):
            found = True
            total += int(fields[1])
    if not found:
        raise ValueError(f"-X importtime reported no top-level import of {package}")
    return total / 1000


def measure(python: Path, runs: int, tick: Callable[[], None] = lambda: None) -> ImportCost:
    def wall(code: str) -> float:
        began = time.perf_counter()
        subprocess.run([str(python), "-c", code], check=True, capture_output=True)
        return (time.perf_counter() - began) * 1000

    def traced(code: str) -> float:
        proc = subprocess.run([str(python), "-X", "importtime", "-c", code], check=True, capture_output=True, text=True)
        return importtime_ms(proc.stderr, PACKAGE)

    commands: dict[str, tuple[Callable[[str], float], str]] = {
        "pulumi": (wall, BASELINE),
        "package": (wall, WITH_PACKAGE),
        "program": (wall, PROGRAM),
        "package_traced": (traced, WITH_PACKAGE),
        "program_traced": (traced, PROGRAM),
    }
    samples: dict[str, list[float]] = {key: [] for key in commands}
    wall(PROGRAM)  # warm the file cache: the first run would read every module from disk
    for _ in range(runs):
        for key, (timer, code) in commands.items():
            samples[key].append(timer(code))
        tick()
    median = {key: statistics.median(values) for key, values in samples.items()}
    return ImportCost(
        runs, median["pulumi"], median["package"], median["package_traced"], median["program"], median["program_traced"]
    )
