"""A small discrete-event kernel: one heap of (time, seq, callback, args), and FIFO staffs.

Callbacks instead of generators: an event is a plain tuple and dispatch is one function call,
which keeps the loop several times faster than a generator-based engine (benchmarks/kernel_vs_simpy.py).
The kernel knows nothing of the domain; the C2 process model lives in `process.py`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from heapq import heappop, heappush
from typing import Any

Callback = Callable[..., Any]


class Kernel:
    """The event loop: `schedule` a callback after a delay, `run` until the heap is empty."""

    __slots__ = ("_heap", "_now", "_seq", "events")

    def __init__(self) -> None:
        self._now = 0.0
        self.events = 0
        self._heap: list[tuple[float, int, Callback, tuple[Any, ...]]] = []
        self._seq = 0

    @property
    def now(self) -> float:
        """The current simulation time (read-only: only the event loop advances it)."""
        return self._now

    def schedule(self, delay: float, callback: Callback, *args: Any) -> None:
        """Call `callback(*args)` at `now + delay`; equal times run in scheduling order."""
        if delay < 0:
            raise ValueError(f"negative delay {delay!r}")
        self._seq += 1
        heappush(self._heap, (self._now + delay, self._seq, callback, args))

    def at(self, time: float, callback: Callback, *args: Any) -> None:
        """Call `callback(*args)` at absolute `time` (not earlier than now)."""
        self.schedule(max(0.0, time - self._now), callback, *args)

    def run(self, until: float | None = None) -> int:
        """Process events in time order (up to `until`); return how many were processed."""
        heap = self._heap
        count = 0
        while heap:
            if until is not None and heap[0][0] > until:
                self._now = until
                break
            time, _, callback, args = heappop(heap)
            self._now = time
            callback(*args)
            count += 1
        self.events += count
        return count

    @property
    def pending(self) -> int:
        return len(self._heap)


class Staff:
    """`capacity` servers with one FIFO queue: a headquarters staff working through its in-tray.

    `serve(duration, done, *args)` holds one server for `duration`, then calls `done(*args)`.
    A free server starts at once; otherwise the work waits its turn. `peak` is the longest queue seen.
    """

    __slots__ = ("busy", "capacity", "kernel", "name", "peak", "queue", "slowdown")

    def __init__(self, kernel: Kernel, capacity: int, name: str = "") -> None:
        if capacity < 1:
            raise ValueError(f"staff {name!r}: capacity must be at least 1, got {capacity}")
        self.kernel = kernel
        self.capacity = capacity
        self.name = name
        self.busy = 0
        self.peak = 0
        self.slowdown = 1.0
        self.queue: deque[tuple[float, Callback, tuple[Any, ...]]] = deque()

    def serve(self, duration: float, done: Callback, *args: Any) -> None:
        if self.busy < self.capacity:
            self.busy += 1
            self.kernel.schedule(duration * self.slowdown, self._finish, done, args)
        else:
            self.queue.append((duration, done, args))
            if len(self.queue) > self.peak:
                self.peak = len(self.queue)

    def _finish(self, done: Callback, args: tuple[Any, ...]) -> None:
        if self.queue:
            duration, nxt, nargs = self.queue.popleft()
            self.kernel.schedule(duration * self.slowdown, self._finish, nxt, nargs)
        else:
            self.busy -= 1
        done(*args)


class Signal:
    """A one-shot event other work can wait on: callbacks run when it fires (or at once if it has).

    `started` marks that the work which will fire it is under way, so later askers wait instead of
    starting it again.
    """

    __slots__ = ("fired", "started", "time", "waiters")

    def __init__(self) -> None:
        self.fired = False
        self.started = False
        self.time = 0.0
        self.waiters: list[tuple[Callback, tuple[Any, ...]]] = []

    def wait(self, callback: Callback, *args: Any) -> None:
        if self.fired:
            callback(*args)
        else:
            self.waiters.append((callback, args))

    def fire(self, now: float) -> None:
        if self.fired:
            return
        self.fired = True
        self.time = now
        waiters, self.waiters = self.waiters, []
        for callback, args in waiters:
            callback(*args)
