"""Renderers: one per format, each turning the same :class:`~kotacerdas.reports.document.Document` into a file."""
