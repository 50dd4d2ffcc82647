"""Body regions, and the routines a person can choose from."""

from __future__ import annotations

from supple.core.model import Routine

REGIONS = ("neck", "upper-back", "lower-back", "hips-legs", "posture")
REGION_NAMES = {"upper-back": "Upper back, shoulders", "hips-legs": "Hips & legs"}  # the others: the slug's words


def region_name(slug: str) -> str:
    return REGION_NAMES.get(slug) or slug.replace("-", " ").capitalize()


class RoutineSet:
    """Every routine by id (built-ins first, then the user's, which replace them)."""

    def __init__(self, routines: dict[str, Routine]) -> None:
        self.routines = routines

    def find(self, name: str) -> Routine | None:
        return self.routines.get(name) or next((r for r in self.routines.values() if r.region == name), None)

    def regions(self) -> list[str]:
        """The regions that have routines: the usual five in their order, then the user's own."""
        have = {r.region for r in self.routines.values()}
        return [r for r in REGIONS if r in have] + sorted(have - set(REGIONS))

    def lone_region_typo(self, routine: Routine) -> str | None:
        """The region `routine` probably meant ("nek" for "neck") when no other routine shares its own; else None."""
        others = {r.region for r in self.routines.values() if r is not routine and r.id != routine.id}
        if routine.region in REGIONS or routine.region in others:
            return None
        import difflib  # only `supple check` asks

        close = difflib.get_close_matches(routine.region, sorted(set(REGIONS) | others), n=1, cutoff=0.75)
        return close[0] if close else None

    def in_region(self, region: str) -> list[Routine]:
        return [r for r in self.routines.values() if r.region == region]

    def for_break(self, wanted: str, neglected: str | None) -> Routine | None:
        """What a break offers: `wanted` (an id, a region, or "neglected"), else the desk break, else any routine."""
        if wanted == "neglected":
            wanted = neglected or "desk-break"
        return self.find(wanted) or self.find("desk-break") or next(iter(self.routines.values()), None)
