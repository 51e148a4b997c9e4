"""The public surface and the generated schema stay what they claim to be."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pulumi_relaytask
from pulumi_relaytask import aliyun, huawei, tencent
from pulumi_relaytask.huawei.resource import HuaweiProvider
from pulumi_relaytask.schema import render

REPO = Path(__file__).resolve().parents[2]


def test_public_surface_is_sorted_and_exported() -> None:
    assert pulumi_relaytask.__all__ == sorted(pulumi_relaytask.__all__) == ["aliyun", "huawei", "tencent"]
    for module in (aliyun, huawei, tencent):
        assert module.__all__ == ["RelayTask"]


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
