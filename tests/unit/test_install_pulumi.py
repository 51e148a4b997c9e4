"""scripts/install-pulumi's cold and warm paths, with a stand-in `go` instead of a 7-minute build.

The script runs from a copy of the files it reads (itself, pyproject.toml, the language host source),
from that copy's root, with the relative virtualenv argument the Makefile passes. The stand-in `go`
logs its calls and writes small executables where `go build` would write the real ones.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _pinned_version() -> str:
    """The Pulumi version pyproject.toml pins, which the script builds and stamps."""
    found = re.search(r'"pulumi==([0-9.]+)"', (REPO / "pyproject.toml").read_text())
    assert found is not None, "pyproject.toml pins no pulumi==X.Y.Z"
    return found.group(1)


VERSION = _pinned_version()
BINARIES = ("pulumi", "pulumi-language-python", "pulumi-resource-pulumi-python", "pulumi-language-python-exec")

STANDIN_GO = r"""#!/usr/bin/env bash
# A stand-in for `go`: answers what install-pulumi asks, and builds tiny executables.
echo "$*" >> "$GO_STANDIN_LOG"
case "$1" in
  env) echo "${GO_STANDIN_PROXY:-https://proxy.invalid}" ;;
  get) exit "${GO_STANDIN_GET_EXIT:-0}" ;;
  list) echo "$GO_STANDIN_SDK" ;;
  build)
    out="" version=""
    while [ $# -gt 0 ]; do
      case "$1" in
        -o) out=$2; shift ;;
        -ldflags) version=$(printf '%s' "$2" | sed -n 's/.*Version=\(v[0-9.]*\).*/\1/p'); shift ;;
      esac
      shift
    done
    printf '#!/bin/sh\necho %s\n' "$version" > "$out"
    chmod +x "$out" ;;
  *) echo "stand-in go: unexpected command $1" >&2; exit 2 ;;
esac
"""


@dataclass
class Checkout:
    root: Path
    cache: Path
    env: dict[str, str]
    go_log: Path

    def install(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["scripts/install-pulumi", *args], cwd=self.root, env=self.env, text=True, capture_output=True, timeout=60
        )

    def go_calls(self) -> list[str]:
        return self.go_log.read_text().splitlines() if self.go_log.exists() else []


@pytest.fixture
def checkout(tmp_path: Path) -> Checkout:
    root = tmp_path / "repo"
    for name in ("scripts/install-pulumi", "scripts/langhost/main.go", "pyproject.toml"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, root / name)
    (root / ".venv" / "bin").mkdir(parents=True)
    # What `go list -m -f {{.Dir}} .../sdk/v3` points at: the two launchers the script copies.
    sdk = tmp_path / "sdk"
    for launcher in ("python/dist/pulumi-resource-pulumi-python", "python/cmd/pulumi-language-python-exec"):
        (sdk / launcher).parent.mkdir(parents=True, exist_ok=True)
        (sdk / launcher).write_text("#!/bin/sh\n")
    bin_dir = tmp_path / "standin-bin"
    bin_dir.mkdir()
    (bin_dir / "go").write_text(STANDIN_GO)
    (bin_dir / "go").chmod(0o755)
    go_log = tmp_path / "go-calls.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PULUMI_RELAYTASK_", "GO"))}
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        PULUMI_RELAYTASK_CACHE=str(tmp_path / "cache"),
        GO_STANDIN_LOG=str(go_log),
        GO_STANDIN_SDK=str(sdk),
    )
    return Checkout(root, tmp_path / "cache", env, go_log)


def test_cold_build_links_into_the_relative_venv_the_makefile_passes(checkout: Checkout) -> None:
    result = checkout.install(".venv")
    assert result.returncode == 0, result.stderr
    assert any(call.startswith("get ") for call in checkout.go_calls()), "the cold path must resolve modules"
    dest = checkout.cache / f"v{VERSION}"
    for name in BINARIES:
        link = checkout.root / ".venv" / "bin" / name
        assert link.is_symlink(), name
        assert Path(os.readlink(link)) == dest / name
    pulumi = subprocess.run([checkout.root / ".venv/bin/pulumi", "version"], capture_output=True, text=True)
    assert pulumi.stdout.strip() == f"v{VERSION}"
    assert not list(checkout.cache.glob("build-*")), "the build directory is removed"


def test_warm_cache_builds_nothing_and_links_again(checkout: Checkout) -> None:
    assert checkout.install(".venv").returncode == 0
    calls_after_cold = len(checkout.go_calls())
    (checkout.root / ".venv" / "bin" / "pulumi").unlink()
    warm = checkout.install(".venv")
    assert warm.returncode == 0, warm.stderr
    # Only the proxy check runs: no module resolution and no build.
    assert [call.split()[0] for call in checkout.go_calls()[calls_after_cold:]] == ["env"]
    assert (checkout.root / ".venv" / "bin" / "pulumi").is_symlink()


def test_a_changed_language_host_source_rebuilds(checkout: Checkout) -> None:
    assert checkout.install(".venv").returncode == 0
    builds = sum(call.startswith("build ") for call in checkout.go_calls())
    with (checkout.root / "scripts/langhost/main.go").open("a") as source:
        source.write("\n// changed\n")
    assert checkout.install(".venv").returncode == 0
    assert sum(call.startswith("build ") for call in checkout.go_calls()) == 2 * builds


def test_missing_venv_is_named_with_its_absolute_path_before_any_build(checkout: Checkout) -> None:
    shutil.rmtree(checkout.root / ".venv")
    result = checkout.install(".venv")
    assert result.returncode == 1
    assert f"no virtualenv at {checkout.root / '.venv'} " in result.stderr
    assert checkout.go_calls() == []


def test_a_relative_cache_directory_is_taken_from_where_the_script_runs(checkout: Checkout) -> None:
    checkout.env["PULUMI_RELAYTASK_CACHE"] = "relative-cache"
    result = checkout.install(".venv")
    assert result.returncode == 0, result.stderr
    dest = checkout.root / "relative-cache" / f"v{VERSION}"
    assert Path(os.readlink(checkout.root / ".venv/bin/pulumi")) == dest / "pulumi"
    assert (dest / "pulumi").is_file()


def test_disabled_proxy_fails_before_any_build(checkout: Checkout) -> None:
    checkout.env["GO_STANDIN_PROXY"] = "off"
    result = checkout.install(".venv")
    assert result.returncode == 1
    assert "GOPROXY=off" in result.stderr
    assert [call.split()[0] for call in checkout.go_calls()] == ["env"]


def test_a_refused_version_says_how_to_pin_another(checkout: Checkout) -> None:
    checkout.env["GO_STANDIN_GET_EXIT"] = "1"
    result = checkout.install(".venv")
    assert result.returncode == 1
    assert "pin a version it serves in pyproject.toml" in result.stderr
    assert not (checkout.root / ".venv" / "bin" / "pulumi").exists()
    assert not list(checkout.cache.glob("v*/pulumi")), "nothing half-built is cached"
