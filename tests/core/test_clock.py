"""The session runner keeps time from the clock, never from ticks."""

from __future__ import annotations

from conftest import FakeClock

from supple.core.clock import Runner
from supple.core.model import Routine, Stretch
from supple.core.plan import plan


def make(*stretches: Stretch, prepare: float = 0) -> tuple[Runner, FakeClock]:
    clock = FakeClock()
    r = Routine(id="t", name="T", region="neck", stretches=stretches, prepare=prepare)
    return Runner(plan(r), clock), clock


def test_a_30_second_hold_lasts_30_seconds_of_unpaused_time():
    runner, clock = make(Stretch("A", "h", hold=30), Stretch("B", "h", hold=10))
    clock.advance(12)
    runner.pause()
    clock.advance(100)  # paused time does not count
    assert runner.update() == []
    assert runner.remaining() == 18
    runner.resume()
    clock.advance(17.9)
    runner.update()
    assert runner.step.stretch == 0 and round(runner.remaining(), 6) == 0.1
    clock.advance(0.1)
    events = runner.update()
    assert [e.kind for e in events] == ["end", "start"]
    assert runner.step.stretch == 1
    assert runner.active_seconds() == 30


def test_a_late_update_catches_up_over_several_steps_without_drift():
    runner, clock = make(Stretch("A", "h", hold=5, reps=3, rest=2))
    clock.advance(5 + 2 + 5 + 1)  # into the second rest
    events = runner.update()
    assert [e.kind for e in events] == ["end", "start", "end", "start", "end", "start"]
    assert runner.step.kind == "rest" and runner.remaining() == 1


def test_finishing_marks_stretches_done_and_counts_only_hold_time():
    runner, clock = make(Stretch("A", "h", hold=5, reps=2, rest=3), prepare=4)
    clock.advance(4 + 5 + 3 + 5)
    events = runner.update()
    assert events[-1].kind == "finished"
    assert runner.finished and runner.done_stretches == {0}
    assert runner.active_seconds() == 10


def test_more_time_extends_the_current_hold():
    runner, clock = make(Stretch("A", "h", hold=10))
    clock.advance(8)
    runner.add_time(10)
    clock.advance(5)
    assert runner.update() == [] and runner.remaining() == 7
    clock.advance(7)
    assert runner.update()[-1].kind == "finished"
    assert runner.active_seconds() == 20


def test_next_and_previous_move_by_stretch_and_skipped_ones_are_not_done():
    runner, clock = make(Stretch("A", "h", hold=10), Stretch("B", "h", hold=10), Stretch("C", "h", hold=10), prepare=3)
    runner.next_stretch()
    assert (runner.step.stretch, runner.step.kind) == (1, "prepare")
    runner.next_stretch()
    assert runner.step.stretch == 2
    runner.previous_stretch()
    assert (runner.step.stretch, runner.step.kind, runner.remaining()) == (1, "prepare", 3)
    clock.advance(13)
    runner.update()
    assert runner.step.stretch == 2
    runner.next_stretch()
    assert runner.finished
    assert runner.done_stretches == {1}


def test_stopping_part_way_banks_the_hold_so_far():
    runner, clock = make(Stretch("A", "h", hold=30), prepare=5)
    clock.advance(5 + 12)
    runner.update()
    runner.finish_now()
    clock.advance(50)
    assert runner.finished and runner.active_seconds() == 12
    assert runner.done_stretches == set()


def test_a_late_wake_after_the_end_is_measured_as_overshoot():
    runner, clock = make(Stretch("A", "h", hold=10), prepare=2)
    clock.advance(100)
    runner.update()
    assert runner.finished and runner.overshoot == 88
    assert runner.run_time() == 12
