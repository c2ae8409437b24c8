"""Problems found by the pure rule modules, translatable without importing Django.

A problem carries its English message as a template (the gettext msgid) and the values to fill
in. Whoever shows it translates the template first and fills in the values afterwards, so one
catalogue entry covers every instance ("Dimension %(code)s has no elements."). Templates are
always filled in, even without values, so a literal percent sign is written ``%%``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


def gettext_noop(message: str) -> str:
    """Mark ``message`` for the translation catalogue; ``makemessages`` collects calls of this name."""
    return message


@dataclass(frozen=True)
class Problem:
    code: str  # stable identifier, for tests and scripts
    template: str  # English, with %(name)s placeholders; the gettext msgid
    params: Mapping[str, object] = field(default_factory=dict)

    def render(
        self, translate: Callable[[str], str] | None = None, show: Callable[[object], object] | None = None
    ) -> str:
        """The message, translated by ``translate`` and with each value formatted by ``show``."""
        template = translate(self.template) if translate else self.template
        return template % {name: show(value) if show else value for name, value in self.params.items()}

    def __str__(self) -> str:
        return self.render()
