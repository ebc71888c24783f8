from hypothesis import given, settings
from hypothesis import strategies as st

from alliance_c2.sim.kernel import Kernel, Signal, Staff


@given(st.lists(st.floats(min_value=0, max_value=1000, allow_nan=False), max_size=50))
def test_events_run_in_time_then_scheduling_order(delays):
    kernel = Kernel()
    seen = []
    for i, d in enumerate(delays):
        kernel.schedule(d, lambda i=i, d=d: seen.append((kernel.now, i)))
    kernel.run()
    assert seen == sorted(seen)
    assert [t for t, _ in seen] == sorted(delays)


@settings(max_examples=50)
@given(st.lists(st.floats(min_value=0.01, max_value=10), min_size=1, max_size=30), st.integers(1, 4))
def test_staff_is_fifo_and_deterministic(durations, capacity):
    def play():
        kernel = Kernel()
        staff = Staff(kernel, capacity)
        done = []
        for i, d in enumerate(durations):
            staff.serve(d, lambda i=i: done.append((i, kernel.now)))
        kernel.run()
        return done, staff.peak

    first, peak = play()
    assert first == play()[0]
    assert len(first) == len(durations)
    assert peak == max(0, len(durations) - capacity)
    if capacity == 1:
        assert [i for i, _ in first] == list(range(len(durations)))


def test_run_until_stops_at_the_horizon():
    kernel = Kernel()
    fired = []
    kernel.schedule(5, fired.append, 5)
    kernel.schedule(15, fired.append, 15)
    kernel.run(until=10)
    assert fired == [5] and kernel.now == 10 and kernel.pending == 1


def test_signal_wakes_waiters_once():
    signal = Signal()
    calls = []
    signal.wait(calls.append, "a")
    signal.fire(3.0)
    signal.fire(4.0)
    signal.wait(calls.append, "b")
    assert calls == ["a", "b"] and signal.time == 3.0
