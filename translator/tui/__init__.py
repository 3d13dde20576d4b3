"""Provides the desk: a Textual UI over translator.session (build it with factory.build_app)."""
