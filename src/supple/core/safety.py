"""The rules every session starts from, in supple's own words."""

SAFETY_TITLE = "Stretch safely"

SAFETY_RULES = (
    "Ease in and out of every stretch slowly.",
    "Never bounce: a bouncing stretch can strain or tear a muscle.",
    "Go only to a gentle pull and stop short of pain.",
    "If a stretch hurts, stop it and talk to a doctor.",
    "Already have back pain? Check with a doctor or chiropractor before you start.",
)


def safety_text() -> str:
    return "\n".join(f"• {rule}" for rule in SAFETY_RULES)
