"""The command line: thin commands that call one library function each."""

from endvac.cli.main import main

__all__ = ["main"]
