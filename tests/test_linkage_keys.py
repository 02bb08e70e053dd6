"""Child keys and clerical decisions: the rules worked out by hand on tiny inputs."""

from __future__ import annotations

from endvac.linkage.decisions import apply_decisions, cut, widest_path
from endvac.linkage.keys import assign_keys, key_name

A, B, C, D, E = (("police", "A"), ("police", "B"), ("court", "C"), ("court", "D"),
                 ("detention", "E"))


def test_first_run_numbers_keys_in_record_order() -> None:
    changes = assign_keys([[C, A], [B], [D, E]], {}, 1)
    # clusters sorted by their first (agency, record_id): (court C, police A),
    # (court D, detention E), (police B)
    assert changes.assignment == {A: "CK000000001", C: "CK000000001", D: "CK000000002",
                                  E: "CK000000002", B: "CK000000003"}
    assert changes.created == ["CK000000001", "CK000000002", "CK000000003"]
    assert changes.next_number == 4


def test_same_clusters_keep_their_keys() -> None:
    previous = {A: "CK000000007", C: "CK000000007", B: "CK000000002"}
    changes = assign_keys([[A, C], [B]], previous, 8)
    assert changes.assignment == previous
    assert (changes.created, changes.redirects, changes.retired) == ([], [], [])


def test_merge_keeps_the_oldest_key_and_redirects_the_other() -> None:
    previous = {A: "CK000000005", B: "CK000000002", C: "CK000000005"}
    changes = assign_keys([[A, B, C]], previous, 6)
    assert set(changes.assignment.values()) == {"CK000000002"}  # 2 is older than 5
    assert changes.redirects == [("CK000000005", "CK000000002")]
    assert changes.created == []


def test_split_gives_the_smaller_part_a_new_key_never_reused() -> None:
    previous = {A: "CK000000001", B: "CK000000001", C: "CK000000001"}
    changes = assign_keys([[A, B], [C]], previous, 4)  # keys 2 and 3 were used before
    assert changes.assignment[A] == changes.assignment[B] == "CK000000001"
    assert changes.assignment[C] == key_name(4) == "CK000000004"
    assert changes.next_number == 5


def test_split_in_halves_goes_to_the_part_with_the_first_record() -> None:
    previous = {A: "CK000000001", B: "CK000000001", C: "CK000000001", D: "CK000000001"}
    changes = assign_keys([[C, D], [A, B]], previous, 2)
    # two records each: the part whose first record sorts first (court C) keeps the key
    assert changes.assignment[C] == "CK000000001"
    assert changes.assignment[A] == "CK000000002"


def test_key_of_withdrawn_records_is_retired() -> None:
    changes = assign_keys([[A]], {A: "CK000000001", E: "CK000000003"}, 4)
    assert changes.retired == ["CK000000003"]


def test_widest_path_prefers_the_strong_route() -> None:
    # 1-2 (0.95) 2-4 (0.92) and 1-3 (0.99) 3-4 (0.91): bottlenecks 0.92 vs 0.91
    edges = {(1, 2): 0.95, (2, 4): 0.92, (1, 3): 0.99, (3, 4): 0.91}
    assert sorted(widest_path(edges, 1, 4)) == [(1, 2), (2, 4)]


def test_cannot_link_cuts_the_weakest_edge_of_each_path() -> None:
    # a chain 1-2-3 with 2-3 weakest: cutting 1 from 3 removes only 2-3
    assert cut([(1, 2, 0.99), (2, 3, 0.93)], 1, 3) == [(1, 2, 0.99)]
    # a square: the widest route 1-3-4 (bottleneck 0.95) loses 3-4, then the route
    # 1-2-4 loses 2-4 (0.92)
    kept = cut([(1, 2, 0.99), (2, 4, 0.92), (1, 3, 0.98), (3, 4, 0.95)], 1, 4)
    assert sorted(kept) == [(1, 2, 0.99), (1, 3, 0.98)]


def test_decisions_make_the_clusters() -> None:
    nodes = {1, 2, 3, 4, 5}
    edges = [(1, 2, 0.99), (2, 3, 0.93)]
    assert sorted(map(sorted, apply_decisions(nodes, edges, [], [(1, 3)]))) == [
        [1, 2], [3], [4], [5]]
    assert sorted(map(sorted, apply_decisions(nodes, edges, [(4, 5)], []))) == [
        [1, 2, 3], [4, 5]]


def test_every_linkage_setting_is_documented() -> None:
    from pathlib import Path

    from endvac.config import LinkageRules
    doc = (Path(__file__).parent.parent / "docs" / "workspace.md").read_text(encoding="utf-8")
    for name in LinkageRules.model_fields:
        assert f"linkage `{name}`" in doc, name
