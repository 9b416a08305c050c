"""The suite's CliRunner results mean what click 8.2 made them mean, on every supported click.

click 8.2 captures stderr separately by default (`result.stdout`, `result.stderr`)
and keeps `result.output` for both streams, as a terminal shows them. Before 8.2 a
runner mixes stderr into stdout unless built with `mix_stderr=False`, and then
`result.output` is stdout alone. The tests assert on 8.2's meaning, so on an older
click the runner is built unmixed and `output` is stdout followed by stderr (not
interleaved: no test depends on the order of the two streams).

This changes only the test harness: lambdalint's own use of click is the same on
every version the lower bounds allow (the lowest-versions job in .ci/run runs the
CLI tests against them).
"""

from __future__ import annotations

import click
import click.testing


def _click_version():
    from importlib.metadata import version

    return tuple(int(part) for part in version("click").split(".")[:2] if part.isdigit())


def install() -> None:
    if _click_version() >= (8, 2):
        return
    runner_init = click.testing.CliRunner.__init__

    def unmixed_init(self, *args, mix_stderr=False, **kwargs):
        runner_init(self, *args, mix_stderr=mix_stderr, **kwargs)

    def output(self) -> str:
        return self.stdout + (self.stderr if self.stderr_bytes is not None else "")

    click.testing.CliRunner.__init__ = unmixed_init
    click.testing.Result.output = property(output)
