"""One message type for the pure modules: a code, an English template (the gettext msgid), values.

Rule modules, the quick-win engine and the plan checks run without Django (tests with
hypothesis, the command line on an exported file), so they cannot call ``gettext``. They return a
:class:`Message` instead; whoever shows it renders it in the reader's language:
``message.render(gettext, localize)`` on a page or in a command, ``str(message)`` for English
logs. One catalogue entry covers every instance ("Dimension %(code)s has no elements.").

Templates are always filled in, even without values, so a literal percent sign is written
``%%`` in every template (one rule, whatever the module). Mark templates with
:func:`gettext_noop` so ``makemessages`` collects them. No Django import here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Translate = Callable[[str], str]
Format = Callable[[Any], Any]


def gettext_noop(message: str) -> str:
    """Mark ``message`` for the translation catalogue; it is translated where it is shown."""
    return message


def render(
    template: str, params: Mapping[str, Any], translate: Translate | None = None, format: Format | None = None
) -> str:
    """The one way a message becomes text: translate the template, then fill in the values.

    ``format`` turns each value into what the reader sees (a number in the Indonesian locale);
    values that are messages themselves are rendered the same way (a tuple of them joined by
    "; ").
    """
    text = translate(template) if translate else template
    values: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, Message):
            values[name] = value.render(translate, format)
        elif isinstance(value, tuple) and all(isinstance(v, Message) for v in value):
            values[name] = "; ".join(v.render(translate, format) for v in value)
        else:
            values[name] = format(value) if format else value
    return text % values


@dataclass(frozen=True)
class Message:
    """A translatable sentence: a stable ``code`` (for tests and scripts), the msgid, its values."""

    code: str
    template: str  # English, with %(name)s placeholders; the gettext msgid
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, translate: Translate | None = None, format: Format | None = None) -> str:
        """The message, translated by ``translate`` and with each value formatted by ``format``."""
        return render(self.template, self.params, translate, format)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "template": self.template, "params": dict(self.params)}

    def __str__(self) -> str:
        return self.render()
