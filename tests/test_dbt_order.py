"""lead_scoring.dbt_order: dbt starts the ready node with the longest remaining chain, and only when a
thread is free (docs/decisions.md, "Node order")."""

import json
import threading

import networkx as nx
import pytest
from dbt.graph.queue import GraphQueue
from dbt.task.runnable import GraphRunnableTask

from lead_scoring import dbt_order


@pytest.fixture
def restored(monkeypatch):
    """Whatever install() replaces in dbt's classes is put back after the test."""
    for owner, name in [(GraphQueue, "_get_scores"), (GraphQueue, "get"), (GraphRunnableTask, "run_queue")]:
        monkeypatch.setattr(owner, name, getattr(owner, name))


class Manifest:
    """The one method GraphQueue.get asks of dbt's manifest."""

    def expect(self, unique_id):
        return unique_id


def chain_graph() -> nx.DiGraph:
    """start -> {a_view, fingerprints}; fingerprints -> plan -> scores; a_view -> report."""
    return nx.DiGraph([("start", "a_view"), ("start", "fingerprints"), ("fingerprints", "plan"),
                       ("plan", "scores"), ("a_view", "report")])


def test_scores_are_minus_the_longest_remaining_chain_of_seconds():
    seconds = {"start": 0.5, "a_view": 0.2, "fingerprints": 3.0, "plan": 2.0, "scores": 2.5, "report": 0.4}
    scores = dbt_order.critical_path_scores(chain_graph(), seconds)
    assert scores == pytest.approx({"scores": -2.5, "plan": -4.5, "fingerprints": -7.5, "report": -0.4,
                                    "a_view": -0.6, "start": -8.0})
    # Unknown nodes weigh the default: the longest chain in nodes wins.
    unweighted = dbt_order.critical_path_scores(chain_graph(), {})
    assert unweighted["fingerprints"] < unweighted["a_view"]
    assert unweighted["start"] == -4.0


def test_node_seconds_reads_execution_times_and_ignores_what_it_cannot_read(tmp_path):
    results = tmp_path / "run_results.previous.json"
    results.write_text(json.dumps({"results": [
        {"unique_id": "model.p.a", "execution_time": 1.5},
        {"unique_id": "model.p.b", "execution_time": None},
        "not a result"]}))
    assert dbt_order.node_seconds(results) == {"model.p.a": 1.5}
    results.write_text("{not json")
    assert dbt_order.node_seconds(results) == {}
    assert dbt_order.node_seconds(tmp_path / "missing.json") == {}


def test_installed_queue_hands_out_the_longest_chain_first(tmp_path, restored):
    results = tmp_path / "run_results.previous.json"
    results.write_text(json.dumps({"results": [{"unique_id": node, "execution_time": seconds} for node, seconds in
                                               {"a_view": 0.2, "fingerprints": 3.0, "plan": 2.0}.items()]}))
    assert dbt_order.install(results)
    queue = GraphQueue(chain_graph(), Manifest(), set(chain_graph()))
    assert queue.get() == "start"
    queue.mark_done("start")
    # dbt's own order (by depth, then name) would start the view: same depth, first by name.
    assert queue.get() == "fingerprints"
    assert queue.get() == "a_view"


def test_installed_queue_waits_for_a_free_thread_before_choosing(restored):
    """With one thread busy on `start`'s sibling, the next node is chosen when the thread frees up:
    by then a better node (on the longest chain) is ready and is chosen instead of the one that was
    ready first."""
    assert dbt_order.install(None)
    graph = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    graph.add_node("cheap")
    queue = GraphQueue(graph, Manifest(), set(graph))
    queue.lead_scoring_threads = 1
    assert queue.get() == "a"  # the longer chain first
    chosen: list[str] = []
    waiter = threading.Thread(target=lambda: chosen.append(queue.get()))
    waiter.start()
    waiter.join(timeout=1.0)
    assert waiter.is_alive() and chosen == [], "a node was handed out while the only thread was busy"
    queue.mark_done("a")
    waiter.join(timeout=30)
    assert chosen == ["b"], "not the node on the longest chain once the thread was free"


def test_install_leaves_a_dbt_without_the_replaced_methods_alone(monkeypatch, restored):
    get, run_queue = GraphQueue.get, GraphRunnableTask.run_queue
    monkeypatch.delattr(GraphQueue, "_get_scores")
    assert not dbt_order.install(None)
    assert GraphQueue.get is get and GraphRunnableTask.run_queue is run_queue
