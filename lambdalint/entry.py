"""The `lambdalint` console command as a process: start-up and exit tuned for a short life.

`cli.main` is the command itself (tests and embedders call it in-process); `run` is what
the console script and `python -m lambdalint` execute. It changes two things that only a
whole process can afford:

- The cyclic garbage collector is paused while modules load. Imports create thousands of
  long-lived objects (functions, classes, code) and the collector would walk them all
  several times for nothing; once loaded they are frozen out of its view.
- The process ends with `os._exit` after the output is flushed, skipping the interpreter's
  teardown of every loaded module, which costs more than checking a small template.
"""

from __future__ import annotations

import os
import sys

from .collector import paused_collection


def run() -> None:
    with paused_collection(after="freeze"):
        from .cli import main
    try:
        main()
        code = 0
    except SystemExit as stop:
        code = _exit_status(stop.code)
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:  # a bug of ours outside any rule (those become LL0007): one line, exit 2
        code = _internal_error(exc)
    os._exit(_flushed(code))


def _internal_error(exc: Exception) -> int:
    if os.environ.get("LAMBDALINT_TRACEBACK"):
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__)
    else:
        print(f"lambdalint: internal error: {type(exc).__name__}: {exc} (a bug in lambdalint; "
              f"LAMBDALINT_TRACEBACK=1 shows where)", file=sys.stderr)
    return 2


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # sys.exit("message") prints it, as the interpreter would
    return 1


def _flushed(code: int) -> int:
    """Flush both streams; a reader that went away (`| head`) is not an error of ours."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            # Python's own exit reports a broken stdout with status 120; `head` closing
            # the pipe early is normal use, so keep the status the command chose.
            pass
        except (OSError, ValueError):
            code = code or 1
    return code
