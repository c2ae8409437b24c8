"""The interchange format of a master plan edition (JSON document, XLSX workbook).

See ``FORMAT.md`` (beside this file) and ``schema.py`` for the versioned schema.
"""
