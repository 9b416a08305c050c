"""Running the command line in-process, as the CLI tests do."""

from click.testing import CliRunner

from lambdalint.cli import main


def run(*args: str):
    """`lambdalint ARGS...`; exceptions are raised, not turned into an exit code."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)
