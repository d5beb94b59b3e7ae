"""The order dbt starts ready nodes in: the longest remaining chain first (docs/decisions.md, "Node order").

dbt keeps the nodes whose parents are done in a priority queue (dbt.graph.queue.GraphQueue), scored
by depth (`_get_scores`: the topological level), and its main loop hands every node it takes off
that queue straight to the thread pool, whose own queue is first come, first served
(GraphRunnableTask.run_queue). So the priority only orders the nodes that become ready together,
and a node that becomes ready waits behind all those handed out before it: at the start of a
build with two threads, a dozen cheap staging views and seeds run before the raw fingerprints
every model of the incremental scoring chain waits for, and the review models whose chain ends
the build start last. Two changes, made to dbt's classes in the process that runs dbt
(lead_scoring.dbt_launch):

- a node's score is minus the seconds of the longest chain of nodes from it to the end of the
  build (itself included), each node weighing what it took in the previous run with the same
  target path (run_results.previous.json, kept by lead_scoring.dbt_invoke.run_dbt) and one
  second when it is new or there was none: a critical-path-first list schedule;
- the main loop takes a node off the queue only when fewer nodes are in progress than the pool
  has threads, so the best ready node is chosen when a thread frees up, not when it became ready.

Only the order changes: dbt still starts a node only when its parents are done, runs as many at
once as it has threads, and the results are the same in any order. When dbt's classes lack what
is replaced (another dbt version), dbt's own order stays.
"""

import json
from pathlib import Path

DEFAULT_SECONDS = 1.0
PREVIOUS_RESULTS = "run_results.previous.json"


def node_seconds(run_results: Path) -> dict[str, float]:
    """Each node's execution time in a previous run's run_results.json (empty when unreadable)."""
    try:
        results = json.loads(run_results.read_text()).get("results", [])
    except (OSError, ValueError, AttributeError):
        return {}
    seconds = {}
    for result in results:
        if isinstance(result, dict) and isinstance(result.get("execution_time"), (int, float)):
            seconds[result.get("unique_id")] = float(result["execution_time"])
    return seconds


def critical_path_scores(graph, seconds: dict[str, float], default: float = DEFAULT_SECONDS) -> dict[str, float]:
    """Per node of a networkx DiGraph (edges parent -> child): minus the seconds of the longest chain
    from it to a node without children, itself included. Lower scores start first."""
    import networkx as nx

    remaining: dict[str, float] = {}
    for node in reversed(list(nx.topological_sort(graph))):
        tail = max((remaining[child] for child in graph.successors(node)), default=0.0)
        remaining[node] = seconds.get(node, default) + tail
    return {node: -chain for node, chain in remaining.items()}


def install(run_results: Path | None) -> bool:
    """Make dbt score nodes by critical_path_scores (weights from `run_results`) and take a node off
    its queue only for a free thread; False (dbt left as it is) when this dbt lacks what is replaced."""
    try:
        from dbt.graph.queue import GraphQueue
        from dbt.task.runnable import GraphRunnableTask
    except ImportError:
        return False
    replaced = [(GraphQueue, "_get_scores"), (GraphQueue, "get"), (GraphRunnableTask, "run_queue")]
    if not all(callable(getattr(owner, name, None)) for owner, name in replaced):
        return False
    seconds = node_seconds(run_results) if run_results is not None else {}
    queue_get, run_queue = GraphQueue.get, GraphRunnableTask.run_queue

    def _get_scores(self, graph) -> dict[str, float]:
        return critical_path_scores(graph, seconds)

    def get(self, block: bool = True, timeout: float | None = None):
        limit = getattr(self, "lead_scoring_threads", None)
        if limit:
            with self.some_task_done:  # dbt's lock; mark_done notifies it
                while len(self.in_progress) >= limit:
                    self.some_task_done.wait()
        return queue_get(self, block=block, timeout=timeout)

    def run_queue_for_free_threads(self, pool) -> None:
        if self.job_queue is not None:
            self.job_queue.lead_scoring_threads = getattr(pool, "max_threads", None)
        return run_queue(self, pool)

    GraphQueue._get_scores = _get_scores
    GraphQueue.get = get
    GraphRunnableTask.run_queue = run_queue_for_free_threads
    return True
