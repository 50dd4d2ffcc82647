"""The session history's file format (design.md): a `[[session]]` record, and the `[[retract]]` /
`[[restore]]` corrections of one, read and written."""

from __future__ import annotations

import re
from typing import Any

import tomli_w

from supple.core.model import Correction, Session
from supple.store.append import fit_moment
from supple.store.logs import LogFormat
from supple.store.toml import Errors, get_bool, get_moment, get_number, get_str

_REQUIRED = ("id", "routine", "routine_name", "region", "started", "ended", "active_seconds", "completed",
             "stretches_done", "stretches_total")
_SURROGATE = re.compile("[\ud800-\udfff]")


def session_from_record(rec: dict, errors: Errors, device_hint: str) -> Session | None:
    v: dict[str, Any] = {
        "id": get_str(errors, rec, "id", (), nonempty=True),
        "routine": get_str(errors, rec, "routine", (), nonempty=True),
        "routine_name": get_str(errors, rec, "routine_name", ()),
        "region": get_str(errors, rec, "region", ()),
        "started": get_moment(errors, rec, "started", ()),
        "ended": get_moment(errors, rec, "ended", ()),
        "active_seconds": get_number(errors, rec, "active_seconds", (), 0, None),
        "completed": get_bool(errors, rec, "completed", (), None),
        "stretches_done": get_number(errors, rec, "stretches_done", (), 0, None, integer=True),
        "stretches_total": get_number(errors, rec, "stretches_total", (), 0, None, integer=True),
        "source": get_str(errors, rec, "source", (), nonempty=True, default="player"),
        "device": get_str(errors, rec, "device", ()),
        "pain_before": get_number(errors, rec, "pain_before", (), 0, 10, integer=True),
        "pain_after": get_number(errors, rec, "pain_after", (), 0, 10, integer=True),
        "note": get_str(errors, rec, "note", ()),
        "stopped": get_str(errors, rec, "stopped", ()),
    }
    if not errors and v["ended"] < v["started"]:
        errors.problem(("ended",), f"'ended' ({v['ended'].isoformat()}) is before 'started' "
                                   f"({v['started'].isoformat()})")
    if errors:
        return None
    v["active_seconds"] = float(v["active_seconds"])
    v["device"] = v["device"] or device_hint  # the folder names the device
    return Session(**v)


def record_text(session: Session) -> str:
    """One `[[session]]` table as written to a file."""
    rec = session.to_json()
    rec["started"] = fit_moment(session.started)
    rec["ended"] = fit_moment(session.ended)
    if not rec["device"]:
        del rec["device"]  # the folder names it
    # The id, a required text, goes last: a record cut short anywhere (a
    # crash mid-append) then lacks it or ends inside its quotes, so a torn
    # record is always reported, never read as a shorter session.
    rec["id"] = rec.pop("id")
    # tomli_w escapes newlines in strings, so every value stays on one line
    return "[[session]]\n" + tomli_w.dumps(rec)


def correction_from_record(restore: bool):
    def build(rec: dict, errors: Errors, device_hint: str) -> Correction | None:
        session = get_str(errors, rec, "session", (), nonempty=True)
        at = get_moment(errors, rec, "at", ())
        why = get_str(errors, rec, "why", ())
        return None if errors else Correction(session, at, restore, why, device_hint)
    return build


def correction_text(correction: Correction) -> str:
    """One `[[retract]]` or `[[restore]]` table as written to a file."""
    rec: dict[str, Any] = {"at": fit_moment(correction.at)}
    if correction.why:
        rec["why"] = _SURROGATE.sub("\ufffd", correction.why)
    rec["session"] = correction.session  # last, as a session's id: a torn record never reads as valid
    return f"[[{'restore' if correction.restore else 'retract'}]]\n" + tomli_w.dumps(rec)


def writable(session: Session) -> Session:
    """Lone surrogates (from a file name that is not UTF-8) as U+FFFD: the file stays UTF-8."""
    changes = {f: _SURROGATE.sub("\ufffd", v) for f, v in zip(session._fields, session)
               if isinstance(v, str) and _SURROGATE.search(v)}
    return session._replace(**changes) if changes else session


SESSIONS = LogFormat(format="supple-history", version=1, table="session", folder="history", noun="history",
                     items="sessions", required=_REQUIRED, build=session_from_record, lock_name="",
                     side={"retract": (("session", "at"), correction_from_record(False)),
                           "restore": (("session", "at"), correction_from_record(True))})
HEADER = SESSIONS.header
