"""The public surface and the generated schema stay what they claim to be."""

from __future__ import annotations

import importlib
import inspect
import json
import pickle
import pkgutil
import re
from pathlib import Path
from types import ModuleType

import pulumi.dynamic
import pytest

import pulumi_relaytask
from pulumi_relaytask import clouds, errors
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


@pytest.mark.parametrize("cloud", ["aliyun", "huawei", "tencent"])
def test_the_resource_class_takes_every_argument_of_the_model_and_shows_every_attribute(cloud: str) -> None:
    spec = clouds.cloud(cloud)
    resource = importlib.import_module(f"pulumi_relaytask.{cloud}").RelayTask
    keywords = inspect.signature(resource.__init__).parameters
    assert [name for name in keywords if name not in ("self", "resource_name", "opts")] == sorted(
        spec.model.model_fields, key=lambda name: not spec.model.model_fields[name].is_required()
    )
    for name, info in spec.model.model_fields.items():
        assert (keywords[name].default is inspect.Parameter.empty) == info.is_required(), name
    attributes = set(resource.__annotations__)
    assert attributes >= set(spec.model.model_fields) | {f.name for f in spec.rules.outputs}


def test_the_pickled_provider_carries_no_configuration() -> None:
    provider = HuaweiProvider()

    class Config:
        def get(self, key: str) -> str:
            return {"relaytask:huaweiSecretKey": "do-not-pickle-me"}.get(key, "x")

    class Request:
        config = Config()

    provider.configure(Request())  # type: ignore[arg-type]
    assert b"do-not-pickle-me" not in pickle.dumps(provider)


def test_the_provider_pickles_as_a_reference_to_the_generic_class_and_the_cloud_key() -> None:
    import dill

    from pulumi_relaytask.provider import RelayTaskProvider

    for key in clouds.KEYS:
        data = dill.dumps(RelayTaskProvider(key), protocol=pickle.DEFAULT_PROTOCOL, recurse=True)  # as Pulumi does
        assert b"pulumi_relaytask.provider" in data and b"RelayTaskProvider" in data and key.encode() in data
        assert len(data) < 120, data  # a reference, not a copy of the class
        loaded = pickle.loads(data)
        assert type(loaded) is RelayTaskProvider and loaded.cloud == key


def _pickle_of_release_0_1(module: str, name: str) -> bytes:
    """What stacks made with 0.1 hold: `module.name` rebuilt with __new__ and an empty __setstate__."""
    m, n = module.encode(), name.encode()
    return b"\x80\x04\x8c" + bytes([len(m)]) + m + b"\x8c" + bytes([len(n)]) + n + b"\x93)\x81}b."


@pytest.mark.parametrize("key", clouds.KEYS)
def test_the_provider_names_pickled_by_release_0_1_still_load_and_serve_their_cloud(key: str) -> None:
    spec = clouds.cloud(key)
    provider = pickle.loads(_pickle_of_release_0_1(f"pulumi_relaytask.{key}.resource", spec.provider_class))
    assert provider.cloud == key
    assert provider._lifecycle().rules is spec.rules
    # Pickled again (a later update stores the program's provider), it becomes the generic one.
    assert type(pickle.loads(pickle.dumps(provider))).__name__ == "RelayTaskProvider"
