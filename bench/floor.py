"""The engine's floor: a dynamic resource that makes no API call, measured like the real provider.

The Pulumi program imports this module from the repository (PYTHONPATH), so Pulumi pickles the
provider by reference, as it does the real one: a class reference and no state.
"""

from __future__ import annotations

import uuid
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider

# Declares one floor resource per entry of tasks.json, with the task's arguments as its inputs, and
# exports its id as the real program exports the task id: the two stacks differ only in the provider.
PROGRAM = """\
import json
import pulumi
from bench.floor import FloorResource

for task in json.load(open("tasks.json")):
    resource = FloorResource(task["name"], task["args"])
    pulumi.export(task["name"] + "_task_id", resource.id)
"""


# The same, each resource with every attribute the cloud's RelayTask class declares (those the task leaves
# unset as None, as the class passes them): the engine's floor for a resource of that many properties.
ATTRIBUTES_PROGRAM = """\
import json
import pulumi
from bench.floor import FloorResource
from pulumi_relaytask import aliyun, huawei, tencent

CLASSES = {"huawei": huawei.RelayTask, "tencent": tencent.RelayTask, "aliyun": aliyun.RelayTask}
for task in json.load(open("tasks.json")):
    attributes = dict.fromkeys(CLASSES[task["cloud"]].__annotations__)
    resource = FloorResource(task["name"], {**attributes, **task["args"]})
    pulumi.export(task["name"] + "_task_id", resource.id)
"""


class FloorProvider(ResourceProvider):
    """Create returns an id and its inputs; read returns what it is given; no diff, no delete work."""

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(id_=uuid.uuid4().hex, outs=props)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        return ReadResult(id_=id_, outs=props)

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=False)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        pass


class FloorResource(Resource):
    def __init__(self, name: str, args: dict[str, Any], opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(FloorProvider(), name, dict(args), opts)
