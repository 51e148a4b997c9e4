"""End-to-end fixtures: a Pulumi project on a temporary file backend, pointed at the emulator."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pulumi_relaytask.emulator.server import EmulatorServer

from ..conftest import DEMO_AK, DEMO_SK
from .harness import PULUMI, PulumiProject, pulumi_env


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session", autouse=True)
def pulumi_cli() -> Path:
    if not PULUMI.exists():
        pytest.fail(f"{PULUMI} is missing: run `make test` (it builds the Pulumi CLI with scripts/install-pulumi)")
    return PULUMI


@pytest.fixture
def project_id() -> str:
    # A project id of its own keeps each test's tasks apart in the shared emulator.
    return uuid.uuid4().hex


@pytest.fixture
def project(tmp_path: Path, emulator: EmulatorServer, project_id: str) -> PulumiProject:
    env = pulumi_env(tmp_path, {"RELAYTASK_ENDPOINT": emulator.url})
    proj = PulumiProject.create(tmp_path, env)
    configure_clouds(proj, project_id)
    return proj


def configure_clouds(proj: PulumiProject, project_id: str) -> None:
    """Demo credentials of every cloud in one call. Pulumi records the stack config in the default
    provider's inputs, so every credential is a secret (encrypted there)."""
    proj.run(
        "config",
        "set-all",
        "--secret",
        f"relaytask:huaweiAccessKey={DEMO_AK}",
        "--secret",
        f"relaytask:huaweiSecretKey={DEMO_SK}",
        "--plaintext",
        f"relaytask:huaweiProjectId={project_id}",
        "--secret",
        f"relaytask:tencentSecretId={DEMO_AK}",
        "--secret",
        f"relaytask:tencentSecretKey={DEMO_SK}",
        "--secret",
        f"relaytask:aliyunAccessKeyId={DEMO_AK}",
        "--secret",
        f"relaytask:aliyunAccessKeySecret={DEMO_SK}",
    )


# One anchor for the whole run, so a desired time written twice in a test is the same string even
# when the run crosses an hour (or minute) boundary.
ANCHOR = datetime.now(UTC).replace(second=0, microsecond=0)


def hour_from_now(hours: int) -> str:
    """`hours` after the start of the test run (whole minutes, UTC); 0 is already in the past."""
    return (ANCHOR + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")
