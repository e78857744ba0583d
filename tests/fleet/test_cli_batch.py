"""``logscan batch`` on the command line: outputs and exit codes, --diff, Ctrl-C with a
progress bar on a real terminal, and light imports."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from logscan.cli.exitcodes import ExitCode
from logscan.cli.main import cli

from .conftest import SAMPLES, make_share, read_rows


def test_batch_writes_outputs_and_exits_1_for_actionable_hosts(share: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(share), "--out", str(out), "--workers", "1"])
    assert result.exit_code == ExitCode.FINDING, result.output
    summary = json.loads((out / "summary.json").read_text())
    for verdict, n in summary["verdicts"].items():
        assert f"{verdict:<14} {n}" in result.stdout
    assert str(out / "report.html") in result.stdout
    assert "\r" not in result.stderr  # no progress bar when stderr is not a terminal
    as_json = CliRunner().invoke(
        cli, ["batch", str(share), "--out", str(out), "--format", "json", "--workers", "1"]
    )
    assert json.loads(as_json.stdout)["from_cache"] == summary["hosts"]


def test_usage_no_hosts_and_unwritable_output(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["batch", str(tmp_path)]).exit_code == ExitCode.USAGE
    empty = tmp_path / "empty"
    empty.mkdir()
    res = runner.invoke(cli, ["batch", str(empty), "--out", str(tmp_path / "o"), "--workers", "1"])
    assert res.exit_code == ExitCode.NO_INPUT  # one host, no logs: nothing to diagnose
    assert json.loads((tmp_path / "o" / "summary.json").read_text())["statuses"]["no_logs"] == 1
    gone = str(tmp_path / "gone")
    res = runner.invoke(cli, ["batch", gone, "--out", str(tmp_path / "o"), "--workers", "1"])
    assert res.exit_code == ExitCode.NO_INPUT and "no host bundles found" in res.stderr
    assert f"skipped: {gone}: no such file" in res.stderr
    blocker = tmp_path / "file"
    blocker.write_text("x")
    res = runner.invoke(cli, ["batch", str(empty), "--out", str(blocker / "o")])
    assert res.exit_code == ExitCode.OUTPUT
    assert "cannot write in the output folder" in res.stderr and "Traceback" not in res.output
    res = runner.invoke(cli, ["batch", "--diff", str(tmp_path / "x"), str(tmp_path / "y")])
    assert res.exit_code == ExitCode.USAGE and "cannot read" in res.stderr


def test_diff_names_the_hosts_whose_verdict_changed(tmp_path: Path) -> None:
    share = make_share(tmp_path / "share", ["WKS-XP-0588", "WKS-W7-1164", "WKS-XP-0533"])
    runner = CliRunner()
    before, after = tmp_path / "before", tmp_path / "after"
    runner.invoke(cli, ["batch", str(share), "--out", str(before), "--workers", "1"])
    # After the wave: 0588's failing logs were replaced by a clean collection, 1164 is gone.
    shutil.rmtree(share / "WKS-XP-0588" / "WINDOWS")
    shutil.rmtree(share / "WKS-W7-1164")
    shutil.copytree(SAMPLES / "WKS-XP-0999", share / "WKS-NEW-0001")
    runner.invoke(cli, ["batch", str(share), "--out", str(after), "--workers", "1"])
    old, new = read_rows(before), read_rows(after)
    result = runner.invoke(cli, ["batch", "--diff", str(before), str(after), "--format", "json"])
    assert result.exit_code == 0, result.output
    diff = json.loads(result.stdout)
    assert [(c["label"], c["old_verdict"], c["new_verdict"]) for c in diff["changed"]] == [
        ("WKS-XP-0588", old["WKS-XP-0588"]["verdict"], new["WKS-XP-0588"]["verdict"])
    ]
    assert old["WKS-XP-0588"]["verdict"] != new["WKS-XP-0588"]["verdict"]
    assert [c["label"] for c in diff["removed"]] == ["WKS-W7-1164"]
    assert [c["label"] for c in diff["added"]] == ["WKS-NEW-0001"]
    text = runner.invoke(cli, ["batch", "--diff", str(before), str(after)]).stdout
    assert "1 changed, 1 new, 1 gone" in text and "WKS-XP-0588" in text


def test_ctrl_c_stops_cleanly_and_keeps_finished_hosts(tmp_path: Path) -> None:
    share = tmp_path / "share"
    for i in range(240):
        shutil.copytree(SAMPLES / "WKS-W7-2207", share / f"WKS-{i:04d}")
    out = tmp_path / "out"
    master, slave = pty.openpty()  # stderr on a terminal: the progress bar is drawn
    proc = subprocess.Popen(
        [sys.executable, "-m", "logscan", "batch", str(share), "--out", str(out), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=slave,
        start_new_session=True,  # Ctrl-C reaches the whole group, workers included
    )
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 60
    while max((int(n) for n in re.findall(rb"hosts (\d+)/240", seen)), default=0) < 5:
        assert time.monotonic() < deadline and proc.poll() is None, seen[-300:]
        if select.select([master], [], [], 0.5)[0]:
            seen += os.read(master, 4096)
    os.killpg(proc.pid, signal.SIGINT)
    proc.communicate(timeout=60)
    try:
        while select.select([master], [], [], 0.2)[0]:
            seen += os.read(master, 4096)
    except OSError:
        pass
    os.close(master)
    assert proc.returncode == 130
    assert b"MB/s" in seen and b"ETA" in seen
    summary = json.loads((out / "summary.json").read_text())
    assert summary["interrupted"] and not summary["complete"]
    assert 5 <= summary["finished"] < 240
    assert len(read_rows(out)) == summary["finished"]
    assert not [p for p in out.iterdir() if p.name.startswith(".") and "tmp" in p.name]
    resumed = CliRunner().invoke(cli, ["batch", str(share), "--out", str(out), "--format", "json"])
    done = json.loads(resumed.stdout)
    assert done["complete"] and done["finished"] == 240
    assert done["from_cache"] >= summary["finished"] - 2 * 2  # at most the last second lost


def test_importing_the_fleet_pulls_in_nothing_heavy() -> None:
    code = (
        "import sys, logscan.fleet, logscan.cli.batch_cmd\n"
        "heavy = {'pandas', 'matplotlib', 'dask', 'distributed', 'pyarrow'} & set(sys.modules)\n"
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
