"""The one rule for text on screen: supple draws no Textual markup. Every Static and Label has
`markup=False`, styled text is built with `Content.assemble`, and text from a file or an argument
goes in through `plain`, shown as typed: a routine named "[@click=app.quit]x[/]" runs nothing."""

from __future__ import annotations

from textual.content import Content

from supple.core.text import printable


def plain(text: str, style: str = "") -> Content:
    """`text` exactly as written, in `style` (a Textual style such as "bold" or "$warning")."""
    content = Content(printable(text))
    return content.stylize(style) if style else content
