"""Glossaries: the YAML file format, layers, the matcher and term enforcement."""
