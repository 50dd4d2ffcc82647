"""The order a routine is played in, and how long it takes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from supple.core.model import Routine, Stretch
from supple.core.plan import minutes, plan, seconds


def routine(*stretches: Stretch, prepare: float = 5) -> Routine:
    return Routine(id="t", name="T", region="neck", stretches=stretches, prepare=prepare)


def test_both_sides_every_rep_left_then_right_with_rests_and_a_switch():
    r = routine(Stretch("Tilt", "how", hold=20, reps=2, sides="both", rest=3))
    got = [(s.kind, s.side, s.rep, s.seconds) for s in plan(r)]
    assert got == [
        ("prepare", "left", 1, 5),
        ("hold", "left", 1, 20), ("rest", "left", 2, 3), ("hold", "left", 2, 20),
        ("switch", "right", 1, 3),
        ("hold", "right", 1, 20), ("rest", "right", 2, 3), ("hold", "right", 2, 20),
    ]


def test_phases_are_held_in_turn_within_each_rep():
    r = routine(Stretch("Cat-camel", "how", hold=5, reps=2, phases=("Round", "Sag"), rest=2), prepare=0)
    got = [(s.kind, s.rep, s.phase) for s in plan(r)]
    assert got == [("hold", 1, "Round"), ("hold", 1, "Sag"), ("rest", 2, "Round"),
                   ("hold", 2, "Round"), ("hold", 2, "Sag")]


def test_zero_rest_and_zero_prepare_leave_only_holds_but_a_side_switch_keeps_a_moment():
    r = routine(Stretch("A", "h", hold=10, reps=2, sides="both", rest=0), prepare=0)
    kinds = [(s.kind, s.seconds) for s in plan(r)]
    assert kinds == [("hold", 10), ("hold", 10), ("switch", 3), ("hold", 10), ("hold", 10)]


def test_minutes_are_the_sum_of_prepares_holds_and_rests_rounded():
    r = routine(Stretch("A", "h", hold=30, reps=3, rest=5), Stretch("B", "h", hold=25, sides="both", rest=5))
    # A: 5 + 3*30 + 2*5 = 105; B: 5 + 25 + 5 (switch) + 25 = 60
    assert seconds(r) == 165
    assert minutes(r) == 3
    assert minutes(routine(Stretch("A", "h", hold=5), prepare=0)) == 1


@settings(max_examples=300, database=None)
@given(st.lists(st.builds(Stretch, name=st.just("S"), how=st.just("h"), hold=st.integers(1, 600),
                          reps=st.integers(1, 50), sides=st.sampled_from(["none", "both"]),
                          phases=st.lists(st.just("p"), max_size=3).map(tuple),
                          rest=st.sampled_from([0, 0.5, 1, 3, 10, 600])), min_size=1, max_size=8),
       st.sampled_from([0, 2, 5, 600]))
def test_a_routines_length_is_what_its_steps_add_up_to(stretches, prepare):
    r = routine(*stretches, prepare=prepare)
    assert seconds(r) == sum(step.seconds for step in plan(r))
