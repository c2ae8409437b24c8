"""Builders: plan data → a :class:`~kotacerdas.reports.document.Document` (one module per document)."""
