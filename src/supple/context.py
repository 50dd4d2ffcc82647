"""Everything a command needs, loaded once: folders, config, routines, and the stores (the app starts here too)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from supple.core.breaks import BreakSettings
from supple.core.model import Problem
from supple.core.routines import RoutineSet
from supple.store.config import Config, load_config
from supple.store.parsecache import ParseCache
from supple.store.paths import Dirs, package_data
from supple.store.routine_files import folder_stamp, load_routines

if TYPE_CHECKING:
    from supple.store.breaklog import BreakLog
    from supple.store.history import HistoryStore


class Context:
    def __init__(self, dirs: Dirs, config: Config, routines: RoutineSet, routine_problems: list[Problem]) -> None:
        self.dirs = dirs
        self.config = config
        self.routines = routines
        self.routine_problems = routine_problems
        # the user's routine files as first looked at by the app (the commands never look again)
        self.routines_stamp: tuple | None = None

    def reload_routines(self) -> bool:
        """Whether the user's routine files changed since the last look, reading them again if so."""
        stamp = folder_stamp(self.dirs.user_routines)
        if self.routines_stamp is None or stamp == self.routines_stamp:
            self.routines_stamp = stamp
            return False
        fresh = load_context(self.dirs)
        self.routines, self.routine_problems, self.routines_stamp = fresh.routines, fresh.routine_problems, stamp
        return True

    @property
    def problems(self) -> list[Problem]:
        return self.config.problems + self.routine_problems

    def store(self) -> HistoryStore:
        # the logs (and SQLite) load when first used: the picker reads no history, and
        # its first frame should be within 1.10x of a bare Textual app's
        from supple.store.history import HistoryStore

        return HistoryStore(self.dirs.data, self.config.device_name, self.dirs.cache)

    def break_log(self) -> BreakLog:
        from supple.store.breaklog import BreakLog  # as `store`

        return BreakLog(self.dirs.data, self.config.device_name, self.dirs.cache)

    def neglected_region(self, store: HistoryStore, today: date) -> str | None:
        """The region a `break_routine = "neglected"` offers: the one left longest (reads the history)."""
        if self.config.break_routine != "neglected":
            return None
        from supple.core.stats import Tally, neglected_region  # as `store`: not on the first frame

        return neglected_region(Tally.from_counts(store.counts()).region_stats(today, self.routines.regions()), today)

    def break_settings(self) -> BreakSettings:
        c = self.config
        return BreakSettings(every=timedelta(minutes=c.break_every) if c.break_every else None,
                             hours=c.work_hours, days=c.work_days, routine=c.break_routine)


def load_context(dirs: Dirs) -> Context:
    cache = ParseCache(dirs.cache / "routines.pickle")
    config = cache.get(dirs.config_file, load_config)
    routines, problems = load_routines(package_data("routines"), dirs.user_routines, cache)
    cache.save()
    return Context(dirs, config, RoutineSet(routines), problems)
