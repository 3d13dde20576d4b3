"""Provides one module per `translator` sub-command, each with `register(subparsers)`."""
