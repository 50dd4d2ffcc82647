"""Where the core meets the store: what a break offers when it is set to the region left longest."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from conftest import write
from faults import make

from supple.context import load_context

CET = timezone(timedelta(hours=1))
TODAY = datetime(2026, 11, 20, 18, 0, tzinfo=CET)


def test_a_neglected_break_offers_the_region_left_longest(dirs):
    write(dirs.config_file, 'break_routine = "neglected"\ndevice = "laptop"\n')
    ctx = load_context(dirs)
    store = ctx.store()
    regions = ctx.routines.regions()
    for back, region in enumerate(reversed(regions)):  # the first region the longest ago, the last today
        store.save(make(TODAY - timedelta(days=back), region=region, routine=region))
    assert ctx.neglected_region(store, TODAY.date()) == regions[0]
    store.save(make(TODAY, region=regions[0], routine=regions[0]))  # done today: the next one is left longest
    assert ctx.neglected_region(store, TODAY.date()) == regions[1]
    assert ctx.routines.for_break("neglected", regions[1]).region == regions[1]


def test_without_a_neglected_break_the_history_is_not_read(dirs):
    write(dirs.config_file, 'break_routine = "desk-break"\n')
    ctx = load_context(dirs)

    class NoReading:
        def counts(self):
            raise AssertionError("the history was read")

    assert ctx.neglected_region(NoReading(), TODAY.date()) is None
