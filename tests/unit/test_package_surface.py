"""The public surface and the generated schema stay what they claim to be."""

from __future__ import annotations

import importlib
import json
import pickle
import pkgutil
import re
from pathlib import Path
from types import ModuleType

import pulumi.dynamic
import pytest

import pulumi_relaytask
from pulumi_relaytask import errors
from pulumi_relaytask.huawei.resource import HuaweiProvider
from pulumi_relaytask.schema import render

REPO = Path(__file__).resolve().parents[2]


def _public_members(module: ModuleType) -> list[str]:
    """What a module itself offers: its public names that are not submodules of the package."""
    return sorted(
        name for name, value in vars(module).items() if not name.startswith("_") and not isinstance(value, ModuleType)
    )


def _cloud_packages() -> list[str]:
    """The subpackages that declare a relay-task resource (each has a resource module)."""
    root = Path(pulumi_relaytask.__file__).parent
    return sorted(
        info.name for info in pkgutil.iter_modules([str(root)]) if (root / info.name / "resource.py").exists()
    )


def test_top_level_exports_exactly_the_cloud_packages() -> None:
    assert _cloud_packages(), "no cloud package found"
    assert pulumi_relaytask.__all__ == _cloud_packages()
    assert _public_members(pulumi_relaytask) == [], "the top level offers the cloud packages only"


@pytest.mark.parametrize("cloud", _cloud_packages())
def test_each_cloud_package_exports_what_it_defines(cloud: str) -> None:
    package = importlib.import_module(f"pulumi_relaytask.{cloud}")
    assert package.__all__ == _public_members(package)
    assert issubclass(package.RelayTask, pulumi.dynamic.Resource)


def test_the_error_tree_drawn_in_errors_py_is_the_class_tree() -> None:
    """Each class sits in the drawing (errors.py's docstring) under its base class, and nothing else does."""
    drawn: dict[str, str | None] = {}
    parents: list[str] = []  # the open branch, by depth
    for line in (errors.__doc__ or "").splitlines():
        match = re.match(r"^ {4}((?:[│ ] {3}|[├└]── )*)(\w+Error|\w+Rejected|ApiFault)\b", line)
        if not match:
            continue
        depth = len(match[1]) // 4
        del parents[depth:]
        drawn[match[2]] = parents[-1] if parents else None
        parents.append(match[2])
    classes = {
        name: value
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, Exception) and value.__module__ == errors.__name__
    }
    assert drawn == {
        name: (None if cls.__bases__[0] is Exception else cls.__bases__[0].__name__) for name, cls in classes.items()
    }


def test_schema_json_is_generated_from_the_models() -> None:
    assert (REPO / "schema.json").read_text() == render(), "regenerate with: relaytask schema > schema.json"
    resource = json.loads(render())["resources"]["relaytask:huawei:RelayTask"]
    assert resource["inputProperties"]["push_args"]["secret"] is True
    assert resource["inputProperties"]["source_type"]["willReplaceOnChanges"] is True
    assert resource["requiredInputs"] == ["end_time", "source_type", "source_urls"]


def test_rules_and_model_declare_the_same_arguments() -> None:
    from pulumi_relaytask.schema import RESOURCES

    for rules, model, _ in RESOURCES.values():
        assert set(rules.input_names()) == set(model.model_fields), rules.cloud


def test_the_pickled_provider_carries_no_configuration() -> None:
    provider = HuaweiProvider()

    class Config:
        def get(self, key: str) -> str:
            return {"relaytask:huaweiSecretKey": "do-not-pickle-me"}.get(key, "x")

    class Request:
        config = Config()

    provider.configure(Request())  # type: ignore[arg-type]
    assert b"do-not-pickle-me" not in pickle.dumps(provider)
