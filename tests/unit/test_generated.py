"""What is generated from the models (resource classes, schema.json, reference docs) is up to date and says
what the models declare."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pulumi_relaytask import clouds
from pulumi_relaytask.codegen import generated_files, render_resource
from pulumi_relaytask.huawei.model import RelayTaskOutputs
from pulumi_relaytask.schema import generate

REPO = Path(__file__).resolve().parents[2]


def test_every_generated_file_is_up_to_date() -> None:
    stale = [
        path.relative_to(REPO).as_posix()
        for path, text in generated_files(REPO).items()
        if not path.exists() or path.read_text() != text
    ]
    assert stale == [], "regenerate with: make generate"


def test_the_schema_carries_configuration_update_rules_secrets_and_defaults() -> None:
    schema = generate()
    variables = schema["config"]["variables"]
    assert variables["huaweiSecretKey"]["secret"] is True
    assert variables["huaweiSecretKey"]["defaultInfo"]["environment"] == ["HUAWEICLOUD_SDK_SK", "CLOUD_SDK_SK"]
    assert variables["tencentEndpoint"]["defaultInfo"]["environment"] == ["RELAYTASK_ENDPOINT"]
    assert set(variables) == {key.name for cloud in clouds.every_cloud() for key in cloud.config}
    huawei = schema["resources"]["relaytask:huawei:RelayTask"]["inputProperties"]
    assert huawei["push_args"]["secret"] is True and huawei["push_args"]["willReplaceOnChanges"] is True
    assert "on a PullVodPushLive task" in huawei["end_time"]["description"]
    assert "willReplaceOnChanges" not in huawei["end_time"]
    assert huawei["vod_loop_time"]["default"] == "-1" and huawei["status"]["default"] == "enable"
    assert "0 to 8192" in huawei["vod_start_video_index"]["description"]
    tencent = schema["resources"]["relaytask:tencent:RelayTask"]["inputProperties"]
    assert tencent["watermark_list"]["items"] == {"$ref": "#/types/relaytask:tencent:Watermark"}
    assert schema["types"]["relaytask:tencent:Watermark"]["required"] == ["picture_url"]
    assert "willReplaceOnChanges" not in tencent["operator"]  # an instruction: no change at all


@pytest.mark.parametrize("key", clouds.KEYS)
def test_each_reference_doc_lists_every_argument_and_configuration_key(key: str) -> None:
    cloud = clouds.cloud(key)
    text = (REPO / "docs" / f"{key}.md").read_text()
    for f in cloud.rules.fields:
        assert f"| `{f.name}` |" in text, f.name
    for config in cloud.config:
        assert f"`relaytask:{config.name}`" in text
    assert f"pulumi-python:dynamic/{key}:RelayTask" in text
    assert f"docs/{key}.md" in (REPO / "README.md").read_text()


def test_a_trial_argument_reaches_the_class_the_schema_and_the_docs() -> None:
    """One declaration in the model is all an argument needs: derive a cloud with one more field."""
    from typing import Annotated

    from pydantic import Field, create_model

    from pulumi_relaytask.core.fields import Rule, Rules

    huawei = clouds.cloud("huawei")
    model = create_model(
        "TrialArgs",
        __base__=huawei.model,
        trial_note=(Annotated[str | None, Rule(in_place=True)], Field(None, max_length=9, description="A trial.")),
    )
    rules = Rules.derive("huawei", model, RelayTaskOutputs, update_operation="ModifyPullTask")
    trial = clouds.Cloud(**{**huawei.__dict__, "rules": rules, "model": model})
    source = render_resource(trial)
    assert "trial_note: pulumi.Input[str] | None = None" in source
    assert "A trial. Accepts at most 9 characters. Updated in place by ModifyPullTask." in " ".join(source.split())


def test_schema_json_round_trips() -> None:
    assert json.loads((REPO / "schema.json").read_text()) == generate()
