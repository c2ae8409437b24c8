"""Messages the engine produces, kept translatable without importing Django.

The engine runs with no server (the command line on a spreadsheet), so it cannot call Django's
``gettext``. Each message is an English msgid marked with :func:`gettext_noop` (so
``makemessages`` collects it) plus its parameters; whoever shows it passes a :class:`Renderer`
that translates the msgid and formats money and numbers in the reader's locale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kotacerdas.lib import messages as base
from kotacerdas.lib.messages import gettext_noop

__all__ = ["PLAIN", "Issue", "Message", "Money", "Number", "ProblemError", "Renderer", "gettext_noop"]


def format_rupiah(amount: Decimal | float | int) -> str:
    """Plain rendering used when no locale-aware renderer is given: ``Rp 4,200,000,000``."""
    value = Decimal(str(amount))
    if value == value.to_integral_value():
        return f"Rp {int(value):,}"
    return f"Rp {value:,.2f}"


@dataclass(frozen=True)
class Money:
    """A rupiah amount inside a message."""

    amount: Decimal

    def __str__(self) -> str:
        return format_rupiah(self.amount)


@dataclass(frozen=True)
class Number:
    """A number inside a message (a value, a share); the renderer picks the decimal separator."""

    value: float
    digits: int = 1
    percent: bool = False  # a 0–1 share shown as a percentage

    def __str__(self) -> str:
        if self.percent:
            return f"{self.value * 100:.{self.digits}f} %"
        return f"{self.value:.{self.digits}f}"


class Renderer:
    """How a message becomes text: translation and locale-aware numbers (plain without Django)."""

    def __init__(
        self,
        translate: Callable[[str], str] | None = None,
        money: Callable[[Decimal], str] | None = None,
        number: Callable[[Number], str] | None = None,
    ) -> None:
        self.translate: Callable[[str], str] = translate or (lambda text: text)
        self.money: Callable[[Decimal], str] = money or format_rupiah
        self.number: Callable[[Number], str] = number or str

    def format(self, value: Any) -> Any:
        """A value inside a message as the reader sees it (the ``format`` of ``lib.messages``)."""
        if isinstance(value, Money):
            return self.money(value.amount)
        if isinstance(value, Number):
            return self.number(value)
        if isinstance(value, float):
            return self.number(Number(value, 2))
        return value

    def __call__(self, message: Message) -> str:
        return message.render(self)


PLAIN = Renderer()


class Message(base.Message):
    """The project's message type (``lib.messages``), written ``Message(template, params, code)`` here.

    ``render`` also takes a :class:`Renderer`, which formats money and numbers in the reader's locale.
    """

    def __init__(self, template: str, params: Mapping[str, Any] | None = None, code: str = "") -> None:
        super().__init__(code, template, params if params is not None else {})

    def render(
        self,
        translate: Renderer | Callable[[str], str] | None = None,
        format: Callable[[Any], Any] | None = None,
    ) -> str:
        if translate is None and format is None:
            translate = PLAIN
        if isinstance(translate, Renderer):
            return base.render(self.template, self.params, translate.translate, translate.format)
        return base.render(self.template, self.params, translate, format)


@dataclass(frozen=True)
class Issue:
    """One problem in the input, with where it is (a dotted path such as ``candidates[3].dimension``)."""

    path: str
    message: Message

    def render(self, renderer: Renderer | None = None) -> str:
        text = self.message.render(renderer)
        return f"{self.path}: {text}" if self.path else text


class ProblemError(ValueError):
    """The input cannot be used; every issue found is listed, nothing is computed."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("; ".join(issue.render() for issue in issues))


def issue(path: str, template: str, code: str = "", **params: Any) -> Issue:
    return Issue(path, Message(template, params, code))


def dump(message: Message) -> dict[str, Any]:
    """A message as JSON (stored with a solve, rendered later in the reader's language)."""
    params: dict[str, Any] = {}
    for key, value in message.params.items():
        if isinstance(value, Money):
            params[key] = {"money": str(value.amount)}
        elif isinstance(value, Number):
            params[key] = {"number": value.value, "digits": value.digits, "percent": value.percent}
        elif isinstance(value, Message):
            params[key] = {"message": dump(value)}
        elif isinstance(value, tuple) and all(isinstance(v, Message) for v in value):
            params[key] = {"messages": [dump(v) for v in value]}
        else:
            params[key] = value
    return {"template": message.template, "params": params, "code": message.code}


def load(data: dict[str, Any]) -> Message:
    """The message :func:`dump` wrote."""
    params: dict[str, Any] = {}
    for key, value in (data.get("params") or {}).items():
        if isinstance(value, dict) and "money" in value:
            params[key] = Money(Decimal(value["money"]))
        elif isinstance(value, dict) and "number" in value:
            params[key] = Number(float(value["number"]), int(value["digits"]), bool(value["percent"]))
        elif isinstance(value, dict) and "message" in value:
            params[key] = load(value["message"])
        elif isinstance(value, dict) and "messages" in value:
            params[key] = tuple(load(v) for v in value["messages"])
        else:
            params[key] = value
    return Message(str(data["template"]), params, str(data.get("code") or ""))
