"""Writes of the assessment capability (templates and runs)."""
