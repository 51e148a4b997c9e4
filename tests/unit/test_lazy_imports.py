"""What each process loads: a program only the resource classes of the clouds it uses, the provider only
what a request needs (the client on the first API call). Checked by module, in a fresh interpreter:
`make bench` measures what it costs in time."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pydantic", "deepdiff", "httpx", "pulumi_relaytask.core.lifecycle", "pulumi_relaytask.emulator")
CLOUDS = ("huawei", "tencent", "aliyun")


def loaded_after(code: str) -> set[str]:
    """The modules of interest in `sys.modules` once `code` has run in a new interpreter."""
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    names = set(json.loads(out.splitlines()[-1]))
    return {n for n in names if n.split(".")[0] in ("pydantic", "deepdiff", "httpx", "pulumi_relaytask")}


def under(modules: set[str], *prefixes: str) -> set[str]:
    return {m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes)}


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_program_loads_its_cloud_resource_class_and_no_model(cloud: str) -> None:
    loaded = loaded_after(f"from pulumi_relaytask import {cloud}\nassert {cloud}.RelayTask")
    others = [f"pulumi_relaytask.{c}" for c in CLOUDS if c != cloud]
    assert under(loaded, *HEAVY, *others, "pulumi_relaytask.cli", "pulumi_relaytask.core.fields") == set()
    assert f"pulumi_relaytask.{cloud}.resource" in loaded


def test_the_top_level_loads_no_cloud_until_one_is_named() -> None:
    loaded = loaded_after("import pulumi_relaytask\nassert pulumi_relaytask.tencent.RelayTask")
    assert under(loaded, *(f"pulumi_relaytask.{c}" for c in CLOUDS)) == under(loaded, "pulumi_relaytask.tencent")
    assert loaded_after("import pulumi_relaytask") == {"pulumi_relaytask"}


def test_the_provider_checks_and_diffs_without_the_client_or_other_clouds() -> None:
    code = """
from pulumi_relaytask.provider import RelayTaskProvider
provider = RelayTaskProvider("aliyun")
args = {"source_type": "url", "source_urls": ["http://media.example.com/a.mp4"],
        "dst_url": "rtmp://push.example.com/live/a", "start_time": "2030-01-01T00:00:00Z",
        "end_time": "2030-01-02T00:00:00Z"}
checked = provider.check({}, args)
assert not checked.failures, checked.failures
assert not provider.diff("t-1", checked.inputs, checked.inputs).changes
"""
    loaded = loaded_after(code)
    assert under(loaded, "pydantic", "pulumi_relaytask.core.lifecycle")  # it did check and diff
    assert (
        under(loaded, "httpx", "pulumi_relaytask.emulator", "pulumi_relaytask.huawei", "pulumi_relaytask.tencent")
        == set()
    )
