"""paused_collection: no cyclic collection inside the block, and what happens after it."""

from __future__ import annotations

import gc
import weakref

import pytest

from lambdalint import collector
from lambdalint.api import Linter
from lambdalint.collector import paused_collection
from lambdalint.loading import Document

from repo_paths import FIXTURES


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it


def test_the_collector_is_off_inside_and_back_on_after():
    assert gc.isenabled()
    with paused_collection():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collect_frees_the_cycles_the_block_left_behind():
    with paused_collection(after="collect"):
        node = Node()
        alive = weakref.ref(node)
        del node
        assert alive() is not None  # nothing collected inside
    assert alive() is None


def test_freeze_moves_existing_objects_out_of_view():
    try:
        with paused_collection(after="freeze"):
            pass
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_a_collector_the_caller_disabled_stays_disabled():
    gc.disable()
    try:
        with paused_collection(after="collect"):
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("checked", [
    "templates/small-sam.yaml",  # a template
    "real/sam-app/template.yaml",  # with local packages
    "real/cdk-typescript/cdk.out/OrdersStack.template.json",  # a front end that relocates
    "real/serverless-shop/serverless.yml",  # a service file lowered into its template
])
def test_a_checked_file_leaves_no_cycles_for_the_collector(checked):
    """Checking a file frees what it built by reference counting alone: a model left in a cycle
    would keep its values and YAML nodes for the collector to trace, which once cost a tenth of
    a corpus run. (A Terraform module tree does refer to itself, instance to caller, and is small
    beside what it is lowered into: the collection after each file frees it.)"""
    linter = Linter()
    path = str(FIXTURES / checked)
    assert linter.check_file(path).findings is not None  # once first: lazy imports and caches fill up
    gc.collect()
    gc.disable()
    try:
        linter.check_file(path)
        assert gc.collect() == 0
    finally:
        gc.enable()


@pytest.mark.parametrize("check", ["file", "buffer"])
def test_the_collection_after_a_check_finds_its_document_gone(monkeypatch, check):
    """The collection after a file (or an editor's buffer) runs once the template's document is
    freed: while its YAML nodes were alive it traced them all, 5 ms of each keystroke's lint."""
    path = str(FIXTURES / "real/sam-app/template.yaml")
    linter = Linter()
    documents_alive = []

    def collect(generation=2):
        documents_alive.append(sum(isinstance(item, Document) for item in gc.get_objects()))
        return real_collect(generation)

    real_collect = gc.collect
    monkeypatch.setattr(collector.gc, "collect", collect)
    if check == "file":
        linter.check_file(path)
    else:
        with open(path, encoding="utf-8") as handle:
            linter.check_buffer(path, handle.read())
    assert documents_alive == [0]
