"""`make demo` tells its whole story: the script checks each step's exit code (drift 0, 2, then 0
after the repair) and that the imported program's `pulumi up` writes nothing; here it runs as a user
runs it, in a directory of its own."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_demo_runs_from_start_to_end(tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")}
    env["RELAYTASK_DEMO_DIR"] = str(demo)
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "demo.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    # The imported program adopts the task made outside Pulumi, with its secret left in the config.
    program = ast.parse((demo / "imported" / "__main__.py").read_text())
    calls = [node for node in ast.walk(program) if isinstance(node, ast.Call)]
    adopted = [kw for call in calls for kw in call.keywords if kw.arg == "adopt_task_id"]
    assert len(adopted) == 1
    assert "console-token" not in (demo / "imported" / "__main__.py").read_text()
