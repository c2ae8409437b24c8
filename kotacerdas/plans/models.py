"""Master plans."""
