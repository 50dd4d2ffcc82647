"""Hostile file contents for Hypothesis: a valid file, mutated line by line and byte by byte
(wrong values and types, unknown keys, junk, markup, escapes, deep nesting, cut-off bytes)."""

from __future__ import annotations

import tomli_w
from hypothesis import strategies as st

from supple.store.paths import package_data

THEME = (package_data("themes") / "supple-dusk.toml").read_text("utf-8")
CONFIG = 'theme = "supple-dusk"\ndaily_goal = 2\nbell = true\ndevice = "laptop"\n'
KEYS = {
    "routine": ["name", "region", "summary", "prepare", "rest", "hold", "reps", "sides", "how", "tips",
                "phases", "stretch", "hodl", "Name"],
    "theme": ["name", "dark", "primary", "secondary", "accent", "foreground", "background", "surface",
              "panel", "warning", "error", "success", "boost", "variables", '"footer-key-foreground"',
              '"block-cursor-text-style"', '"text"', "colour"],
    "config": ["theme", "daily_goal", "bell", "device", "goal", "bells"],
    "history": ["format", "version", "id", "routine", "routine_name", "region", "started", "ended",
                "active_seconds", "completed", "stretches_done", "stretches_total", "source", "device",
                "pain_before", "pain_after", "note", "stopped"],
}
HEADERS = ["[[stretch]]", "[stretch]", "[variables]", "[[variables]]", "[x.y]", "[[session]]", "[theme]",
           "[" + ".".join(["t"] * 30) + "]", ".".join(["k"] * 30) + " = 1"]
JUNK = ['"unclosed', "'unclosed", '"""never closed', "[1, 2", "{a = 1", "2026-13-45", "0x1G", "= =",
        "1__0", "nan", "-inf", "inf", "1e309", "-0.0", "+1", "0o8", "true false", '"a" "b"', "", "#",
        '"\\x41"', '"\\uD800"', '"\\U00110000"', "[[]]", "{}", '{ a = { b = [ { c = 1 } ] } }',
        # nested past any sense: tomllib itself overflows at a few hundred levels
        "[" * 600 + "]" * 600, "{a=" * 450 + "1" + "}" * 450, "[" * 25 + "1" + "]" * 25,
        # markup, an action, a stray closing tag and terminal escapes: data, like any text
        '"[@click=app.quit]q[/]"', '"[/]"', '"[b]x"', '"\\u001b[2J\\u0007"', '"\\u202eabc"']
NASTY_BYTES = [b"\x00", b"\xff", b"\xef\xbb\xbf", b"\r", b"\r\n", b'"', b"'", b"[", b"]", b"=", b"\n",
               b"\t", b"#", b"\\", b"\xc3", b"\xe2\x80\xa8", b"{", b","]

toml_values = st.one_of(
    st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=True), st.booleans(),
    st.text(max_size=30), st.lists(st.one_of(st.integers(), st.text(max_size=5)), max_size=4),
    st.datetimes(), st.dates(), st.times(),
    st.dictionaries(st.text(min_size=1, max_size=5), st.integers(), max_size=2),
    st.sampled_from(["#ff0000", "red", "#GGGGGG", "transparent", "ansi_red", "rgb(1,2,3)", "hsl(1, 2%, 3%)",
                     "none", "bold", "blink nonsense", "auto 87%", "red 50%", "neck", "Upper Back", "both",
                     "none", "left", "", " ", "\n", "a\nb", "\u2028"]),
)


def toml_value_text(v) -> str:
    try:
        return tomli_w.dumps({"k": v}).split("=", 1)[1].strip()
    except Exception:
        return repr(v)


@st.composite
def mutated(draw, kind: str, base: str) -> bytes:
    lines = base.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["value", "value", "insert", "delete", "duplicate", "bytes", "truncate", "junk"]))
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        if op == "value":
            keyed = [j for j, ln in enumerate(lines) if "=" in ln and not ln.lstrip().startswith("#")]
            if keyed:
                j = draw(st.sampled_from(keyed))
                key = lines[j].split("=", 1)[0]
                lines[j] = f"{key}= {toml_value_text(draw(toml_values))}"
        elif op == "insert":
            key = draw(st.sampled_from(KEYS[kind]))
            new = draw(st.one_of(st.just(f"{key} = {toml_value_text(draw(toml_values))}"),
                                 st.sampled_from(HEADERS)))
            lines.insert(i, new)
        elif op == "delete" and lines:
            del lines[i]
        elif op == "duplicate" and lines:
            lines.insert(i, lines[i])
        elif op == "junk":
            key = draw(st.sampled_from(KEYS[kind]))
            lines.insert(i, f"{key} = {draw(st.sampled_from(JUNK))}")
    raw = "\n".join(lines).encode("utf-8", "surrogatepass")
    op = draw(st.sampled_from(["none", "none", "bytes", "truncate"]))
    if op == "bytes":
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + b"".join(draw(st.lists(st.sampled_from(NASTY_BYTES), min_size=1, max_size=4))) + raw[at:]
    elif op == "truncate":
        raw = raw[: draw(st.integers(0, len(raw)))]
    return raw
