"""The batch's process pool: a bounded window of chunks in flight, replaced when a worker dies."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

from .inputs import Task
from .worker import Job, Outcome, clean_tasks, worker_init

__all__ = ["CHUNK_PAGES", "CHUNK_BYTES", "CHUNKS_PER_WORKER", "chunks", "run_pool"]

CHUNK_PAGES = 8                     # pages per task handed to a worker
CHUNK_BYTES = 1 << 20               # ... or fewer, once their bytes pass this
CHUNKS_PER_WORKER = 4               # chunks in flight per worker (bounds memory)


def chunks(pages: Iterable[Task]) -> Iterator[list[Task]]:
    chunk: list[Task] = []
    size = 0
    for page in pages:
        chunk.append(page)
        size += len(page.data) if page.data is not None else 0
        if len(chunk) >= CHUNK_PAGES or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _pool_context() -> Any:
    import multiprocessing
    # forkserver where there is one: workers start clean (no inherited threads or locks)
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class _Pool:
    """A process pool that is replaced when one of its workers dies."""

    def __init__(self, jobs: int) -> None:
        from concurrent.futures import ProcessPoolExecutor
        context = _pool_context()
        # only this process holds the write end: the workers see EOF when it dies
        lifeline, self._lifeline = context.Pipe(duplex=False)

        def make() -> ProcessPoolExecutor:
            return ProcessPoolExecutor(jobs, mp_context=context, initializer=worker_init,
                                       initargs=(lifeline,))
        self._make = make
        self.executor = make()

    def submit(self, job: Job, chunk: list[Task]) -> Any:
        return self.executor.submit(clean_tasks, job, chunk)

    def renew(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._make()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self._lifeline.close()


def run_pool(job: Job, chunks: Iterator[list[Task]], jobs: int,
             record: Callable[[Outcome], None]) -> None:
    """Chunks to a process pool, a bounded window of them in flight, results recorded in
    input order. A worker that dies (a crash, the OOM killer) breaks the pool: the chunks
    that were in flight are re-run one page at a time in a new pool, and a page that
    kills its worker again is recorded as an error."""
    from concurrent.futures.process import BrokenProcessPool

    pool = _Pool(jobs)
    pending: deque[tuple[Any, list[Task]]] = deque()

    def alone(page: Task) -> list[Outcome]:
        try:
            return cast("list[Outcome]", pool.submit(job, [page]).result())
        except BrokenProcessPool:
            pool.renew()
            return [Outcome(page.source, page.url, error="the worker process died cleaning "
                            "this page (a crash, or killed for memory)")]

    def drain(keep: int) -> None:
        while len(pending) > keep:
            future, chunk = pending.popleft()
            try:
                outcomes = future.result()
            except BrokenProcessPool:
                caught = [(future, chunk), *pending]
                pending.clear()
                pool.renew()  # waits: every caught future is now finished or failed
                for fut, ch in caught:
                    done = fut.exception() is None
                    for outcome in (fut.result() if done
                                    else [o for page in ch for o in alone(page)]):
                        record(outcome)
                continue
            for outcome in outcomes:
                record(outcome)

    try:
        for chunk in chunks:
            pending.append((pool.submit(job, chunk), chunk))
            drain(jobs * CHUNKS_PER_WORKER)
        drain(0)
    finally:
        pool.close()
