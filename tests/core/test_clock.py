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


# -- what counts as done ------------------------------------------------------------

def test_skipping_every_stretch_does_none_of_them():
    runner, clock = make(Stretch("A", "h", hold=20), Stretch("B", "h", hold=20, sides="both"), prepare=3)
    runner.next_stretch()
    runner.next_stretch()
    assert runner.finished and runner.done_stretches == set()


def test_a_stretch_is_done_once_each_side_is_held_half_its_planned_time():
    runner, clock = make(Stretch("A", "h", hold=10, reps=2, rest=2, sides="both"), Stretch("B", "h", hold=10))
    clock.advance(10 + 2 + 4)  # the left: one rep whole, four seconds of the second
    runner.update()
    assert runner.held(0, "left") == 14 and runner.done_stretches == set()
    runner.next_stretch()  # the right side never held
    assert runner.done_stretches == set()
    runner.previous_stretch()  # back to A: a second try adds up
    clock.advance(10)  # the left again (14 + 10 of 20)
    runner.update()
    clock.advance(2 + 10 + 3 + 10)  # rest, left rep 2, the switch, the right's first rep (10 of 20)
    runner.update()
    assert runner.step.side == "right" and runner.held(0, "right") == 10
    assert runner.done_stretches == {0}  # half of each side: done, though the second right rep is cut
    runner.next_stretch()
    clock.advance(4.9)
    runner.update()
    runner.finish_now()
    assert runner.done_stretches == {0}  # B held 4.9 of 10 s: not done


def test_moving_on_a_second_into_a_hold_is_not_doing_it():
    runner, clock = make(Stretch("A", "h", hold=30), Stretch("B", "h", hold=30))
    clock.advance(1)
    runner.update()
    runner.next_stretch()
    clock.advance(30)
    runner.update()
    assert runner.finished and runner.done_stretches == {1}


def test_back_restarts_the_stretch_then_a_second_back_goes_to_the_one_before():
    runner, clock = make(Stretch("A", "h", hold=10), Stretch("B", "h", hold=10, reps=2, rest=2), prepare=2)
    clock.advance(2 + 10 + 2 + 10 + 1)  # into B's rest
    runner.update()
    assert (runner.step.stretch, runner.step.kind) == (1, "rest")
    runner.back()  # well into B: B again, from its prepare
    assert (runner.step.stretch, runner.step.kind, runner.remaining()) == (1, "prepare", 2)
    clock.advance(1)
    runner.back()  # within a moment of that: A
    assert (runner.step.stretch, runner.step.kind) == (0, "prepare")
    clock.advance(0.5)
    runner.back()  # at the first stretch it stays there
    assert runner.step.stretch == 0 and runner.index == 0
