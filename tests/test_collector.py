"""paused_collection: no cyclic collection inside the block, and what happens after it."""

from __future__ import annotations

import gc
import weakref

from lambdalint.collector import paused_collection


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
