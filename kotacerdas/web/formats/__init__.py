"""The project's date and time formats, one set per language (``FORMAT_MODULE_PATH``).

Django's own Indonesian formats mix styles ("04-12-2026 20.39" next to "4 Des 2026 20:39"):
every page uses these named formats instead (``|date`` for a date, ``|date:"SHORT_DATE_FORMAT"``
in tables), never a hand-written pattern. Anything not set here falls back to Django's locale.
"""
