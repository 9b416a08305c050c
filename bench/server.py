"""`lambdalint server` as an editor feels it: edit -> publishDiagnostics latency.

    python bench/run.py server                 # a ~2,000-line template, 60 single-character edits
    python bench/server.py --edits 200 --functions 55

Starts the real command (`python -m lambdalint server`) and speaks LSP to it over its pipes,
as an editor does: initialize, didOpen of a generated template (bench/run.py's scaling
template: role, queue, mapping, version and alias per function), then one incremental
didChange of one character at a time, each timed from sending it to the diagnostics of that
version arriving. Prints the open latency, then the median and p95 of the edits. A benchmark,
not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Dict, List, Optional

REPO = pathlib.Path(__file__).resolve().parent.parent


class Client:
    def __init__(self, command: List[str], cwd: str) -> None:
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=cwd)
        self.next_id = 0

    def send(self, method: str, params: Any, request: bool = False) -> Optional[int]:
        message: Dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.next_id += 1
            message["id"] = self.next_id
        body = json.dumps(message).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return message.get("id")

    def receive(self) -> Dict[str, Any]:
        assert self.process.stdout is not None
        length = 0
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise SystemExit("the server went away")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return json.loads(self.process.stdout.read(length))

    def wait_for(self, predicate) -> Dict[str, Any]:
        while True:
            message = self.receive()
            if predicate(message):
                return message

    def request(self, method: str, params: Any) -> Dict[str, Any]:
        sent = self.send(method, params, request=True)
        return self.wait_for(lambda message: message.get("id") == sent and "method" not in message)


def template(functions: int) -> str:
    sys.path.insert(0, str(REPO / "bench"))
    from run import scaling_template

    return scaling_template(functions)


def published(uri: str, version: int):
    return lambda message: (message.get("method") == "textDocument/publishDiagnostics"
                            and message["params"]["uri"] == uri and message["params"].get("version") == version)


def bench(functions: int, edits: int) -> None:
    folder = pathlib.Path(tempfile.mkdtemp())
    (folder / ".git").mkdir()
    path = folder / "template.yaml"
    text = template(functions)
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client = Client([sys.executable, "-m", "lambdalint", "server"], str(folder))
    client.request("initialize", {"processId": os.getpid(), "rootUri": folder.as_uri(), "capabilities": {}})
    client.send("initialized", {})
    started = time.perf_counter()
    client.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                          "text": text}})
    first = client.wait_for(published(uri, 1))
    opened = time.perf_counter() - started
    lines = text.splitlines()
    # the line "      Timeout: 30" of the first function: its second digit typed over, one character each time
    line = next(index for index, value in enumerate(lines) if value.strip() == "Timeout: 30")
    column = lines[line].index("30") + 1
    latencies = []
    for edit in range(edits):
        version = edit + 2
        change = {"range": {"start": {"line": line, "character": column}, "end": {"line": line, "character": column + 1}},
                  "text": str(edit % 10)}
        started = time.perf_counter()
        client.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [change]})
        client.wait_for(published(uri, version))
        latencies.append(time.perf_counter() - started)
    client.request("shutdown", None)
    client.send("exit", None)
    client.process.wait(timeout=10)
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(round(0.95 * (len(latencies) - 1))))]
    print(f"server: {len(lines)}-line template ({functions} functions, {functions * 6} resources), "
          f"{len(first['params']['diagnostics'])} diagnostics")
    print(f"  open -> publish      {opened * 1000:7.1f} ms (cold: rules loaded, template parsed)")
    print(f"  edit -> publish      median {statistics.median(latencies) * 1000:6.1f} ms, "
          f"p95 {p95 * 1000:6.1f} ms over {edits} single-character edits (target: under 50 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--functions", type=int, default=55, help="functions in the template (55: ~2,000 lines)")
    parser.add_argument("--edits", type=int, default=60)
    args = parser.parse_args()
    bench(args.functions, args.edits)


if __name__ == "__main__":
    main()
