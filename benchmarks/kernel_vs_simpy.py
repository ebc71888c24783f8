"""One reference model on our kernel and on SimPy 4, timed side by side.

20,000 messages arrive as a Poisson stream (2.5/min) and pass through a chain of 6 headquarters:
before each, an exponential transmission delay (mean 1 min); at each, a queue for one of 2 staff
and an exponential processing time (mean 1/3 min). Expected end-to-end latency: about 8.4 min
(6 x (1 + M/M/2 sojourn 0.403)). Run: .venv/bin/python benchmarks/kernel_vs_simpy.py
"""

from __future__ import annotations

import random
import statistics
import time

import simpy

from alliance_c2.sim.kernel import Kernel, Staff

MESSAGES = 20_000
RATE = 2.5
HQS = 6
STAFF = 2
TRANSMIT_MEAN = 1.0
PROCESS_MEAN = 1.0 / 3.0


def run_kernel(seed: int) -> tuple[float, int, float]:
    rng = random.Random(seed)
    expo = rng.expovariate
    kernel = Kernel()
    staffs = [Staff(kernel, STAFF, f"hq{i}") for i in range(HQS)]
    latencies: list[float] = []

    def transmit(start: float, hop: int) -> None:
        kernel.schedule(expo(1.0 / TRANSMIT_MEAN), arrive, start, hop)

    def arrive(start: float, hop: int) -> None:
        staffs[hop].serve(expo(1.0 / PROCESS_MEAN), processed, start, hop)

    def processed(start: float, hop: int) -> None:
        if hop + 1 < HQS:
            transmit(start, hop + 1)
        else:
            latencies.append(kernel.now - start)

    def source(remaining: int) -> None:
        transmit(kernel.now, 0)
        if remaining > 1:
            kernel.schedule(expo(RATE), source, remaining - 1)

    kernel.schedule(expo(RATE), source, MESSAGES)
    t0 = time.perf_counter()
    events = kernel.run()
    return statistics.fmean(latencies), events, time.perf_counter() - t0


def run_simpy(seed: int) -> tuple[float, int, float]:
    rng = random.Random(seed)
    expo = rng.expovariate
    env = simpy.Environment()
    staffs = [simpy.Resource(env, capacity=STAFF) for _ in range(HQS)]
    latencies: list[float] = []

    def message(env: simpy.Environment):  # type: ignore[no-untyped-def]
        start = env.now
        for hq in staffs:
            yield env.timeout(expo(1.0 / TRANSMIT_MEAN))
            with hq.request() as req:
                yield req
                yield env.timeout(expo(1.0 / PROCESS_MEAN))
        latencies.append(env.now - start)

    def source(env: simpy.Environment):  # type: ignore[no-untyped-def]
        for _ in range(MESSAGES):
            yield env.timeout(expo(RATE))
            env.process(message(env))

    env.process(source(env))
    events = 0
    t0 = time.perf_counter()
    # Count events the way SimPy processes them: one step per scheduled event.
    try:
        while True:
            env.step()
            events += 1
    except simpy.core.EmptySchedule:
        pass
    return statistics.fmean(latencies), events, time.perf_counter() - t0


def main() -> None:
    seed = 20240820
    ours_lat, ours_events, ours_s = run_kernel(seed)
    simpy_lat, simpy_events, simpy_s = run_simpy(seed)
    expected = HQS * (TRANSMIT_MEAN + 0.4034)
    print(f"expected mean latency (M/M/2 theory): {expected:.2f} min")
    print(f"alliance_c2 kernel: mean latency {ours_lat:.2f} min, {ours_events} events in {ours_s:.3f} s, "
          f"{ours_events / ours_s:,.0f} events/s, {MESSAGES / ours_s:,.0f} messages/s")
    print(f"simpy {simpy.__version__}:        mean latency {simpy_lat:.2f} min, {simpy_events} events in "
          f"{simpy_s:.3f} s, {simpy_events / simpy_s:,.0f} events/s, {MESSAGES / simpy_s:,.0f} messages/s")
    # Same model, so compare wall time per message rather than per (differently counted) event.
    print(f"speedup_vs_simpy: {simpy_s / ours_s:.2f}")


if __name__ == "__main__":
    main()
