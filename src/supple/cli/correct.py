"""`supple forget` and `supple restore`: take a wrongly logged session out of every count, or
bring it back, by appending a correction (nothing saved is rewritten)."""

from __future__ import annotations

from supple.cli import err
from supple.context import load_context
from supple.core.model import Session
from supple.core.text import one_line
from supple.store.append import SaveError

MIN_PREFIX = 6


def cmd_forget(args, dirs) -> int:
    return _correct(args, dirs, restore=False)


def cmd_restore(args, dirs) -> int:
    return _correct(args, dirs, restore=True)


def _correct(args, dirs, restore: bool) -> int:
    command = "supple restore" if restore else "supple forget"
    store = load_context(dirs).store()
    wanted = args.id.strip()
    found = store.find(wanted, 2) if wanted else []
    if found and found[0][0].id == wanted:
        found = found[:1]  # the whole id, though another starts with it
    elif len(wanted) < MIN_PREFIX:
        err(f"{command}: give the session's id, or at least its first {MIN_PREFIX} characters "
            f"(`supple history` shows them)")
        return 1
    if not found:
        err(f"{command}: no session's id starts with '{wanted}' (`supple history` shows the recent ones)")
        return 1
    if len(found) > 1:
        err(f"{command}: more than one session's id starts with '{wanted}': give more of it")
        return 1
    session, forgotten = found[0]
    if forgotten == restore:
        try:
            path = store.correct(session.id, restore, (getattr(args, "why", None) or "").strip() or None)
        except SaveError as failed:
            err(f"{command}: {failed}")
            return 1
        store.refresh()  # read into the history cache now, as `supple log` does
        done = "Restored" if restore else "Forgot"
        print(f"{done} {_named(session)} -> {path}")
    else:
        print(f"{_named(session)} is {'not' if restore else 'already'} forgotten: nothing written")
    return 0


def _named(session: Session) -> str:
    return f"{one_line(session.routine_name or session.routine)} started {session.started:%Y-%m-%d %H:%M} " \
           f"({session.id[:8]})"
