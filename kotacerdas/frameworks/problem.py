"""Problems found by the pure rule modules: the project's one message type (``lib.messages``).

A problem carries its English message as a template (the gettext msgid) and the values to fill
in. Whoever shows it translates the template first and fills in the values afterwards
(``problem.render(gettext, localize)``), so one catalogue entry covers every instance
("Dimension %(code)s has no elements."). A template with values writes a literal percent sign
as ``%%``.
"""

from __future__ import annotations

from dataclasses import dataclass

from kotacerdas.lib.messages import Message, gettext_noop

__all__ = ["Problem", "gettext_noop"]


@dataclass(frozen=True)
class Problem(Message):
    """A rule's finding about a framework: ``Problem(code, template, params)``."""
