"""Everything a command needs, loaded once: folders, config, routines, the store."""

from __future__ import annotations

from supple.config import Config, load_config
from supple.paths import Dirs, package_data
from supple.problems import Problem
from supple.routines import RoutineSet, load_routines


class Context:
    __slots__ = ("dirs", "config", "routines")

    def __init__(self, dirs: Dirs, config: Config, routines: RoutineSet) -> None:
        self.dirs = dirs
        self.config = config
        self.routines = routines

    @property
    def problems(self) -> list[Problem]:
        return self.config.problems + self.routines.problems

    def store(self):
        from supple.history import HistoryStore

        return HistoryStore(self.dirs.data, self.config.device_name, self.dirs.cache)


def load_context(dirs: Dirs) -> Context:
    from supple.parsecache import ParseCache

    cache = ParseCache(dirs.cache / "routines.pickle")
    ctx = Context(
        dirs=dirs,
        config=cache.get(dirs.config_file, load_config),
        routines=load_routines(package_data("routines"), dirs.user_routines, cache),
    )
    cache.save()
    return ctx

