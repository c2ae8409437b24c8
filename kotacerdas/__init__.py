"""KotaCerdas: a workbench for Indonesia's smart city master plan programme."""

__version__ = "0.1.0"
