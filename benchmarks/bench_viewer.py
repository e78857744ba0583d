"""Log viewer figures on a large generated log: first screen, full index, jumps, memory.

Generates (once, cached under benchmarks/_corpus/) a log of the given size, then in a
fresh child process per format measures, from the moment the file is opened:

- first screen: until the first 50 records are parsed and ready to draw (the background
  index is running meanwhile, as in the TUI);
- end, while indexing: until the last screen of the file is parsed and ready to draw
  (the engine's tail, indexed right after the first screen), then until the last error
  is (the jump from the end), then a jump from the top of the tail to the previous
  error, in the part not indexed yet (``reach_back``); each checked, once the whole
  file is indexed, against what the full index gives;
- index: until the whole file is indexed (records are then reachable by number);
- last error: jumping from the end to the last error and parsing the screen around it,
  once indexed; plus the first error from the top, a jump to the middle;
- search: a literal that is nowhere in the file (every chunk skipped by the prefilter)
  and one in about 4% of the records (every chunk parsed);
- memory: peak RSS of the process and the bytes held by the index columns;
- the same in the TUI (headless, 160x50): process start to the first screen drawn, how
  late the UI loop wakes while the index is built (what a key press waits), G (last
  row) and then E (last error) pressed as soon as the first screen is drawn, until each
  lands and the screen is redrawn (checked against the full index), and G then E once
  indexed.

    python benchmarks/bench_viewer.py --size-mb 1000              # CCM, 1 GB
    python benchmarks/bench_viewer.py --size-mb 200 --formats ccm,legacy,usmt
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import GENERATORS, write_log  # noqa: E402

_CHILD = r"""
import json, resource, sys, threading, time
t_start = time.perf_counter()
from logscan.inputs.discover import discover
from logscan.model import Level
from logscan.viewer import LogIndex, Query, RecordView, search

SCREEN = 50
(source,) = list(discover([sys.argv[1]]))
t0 = time.perf_counter()
index = LogIndex(source)
t_open = time.perf_counter() - t0
worker = threading.Thread(target=index.build, daemon=True)
worker.start()
while len(index) < SCREEN and not index.done:
    time.sleep(0.001)
first = index.records(0, SCREEN)
t_first = time.perf_counter() - t0

# The user asks for the end at once: it is shown when the tail is (or the index is done).
while not index.has_gap and not index.done and index.tail_expected:
    time.sleep(0.001)
live = RecordView.of(index)
end = len(live) - 1
end_offset = live.records(end - SCREEN, end + 1)[-1].offset
t_end = time.perf_counter() - t0
end_running = not index.done

def previous_error(row):
    # E: the previous error; into the gap means indexing it backwards first.
    while True:
        found = live.find_level(row, Level.ERROR, forward=False)
        if found is None or found != live.gap_row:
            break
        before = live.offset_at(row)
        if not index.reach_back(Level.ERROR, before):
            time.sleep(0.01)  # the head is about to close the gap
        move = live.refresh()
        row = move(row) if move else row
    if found is None:
        return None
    live.records(max(found - SCREEN // 2, 0), found + SCREEN // 2)
    return live.offset_at(found)

last_error_offset = previous_error(end)
t_end_error = time.perf_counter() - t0
end_error_running = not index.done
top = live.head_rows + 1 if live.gap_row is not None else None
tail_start = live.offset_at(top) if top is not None else None
t = time.perf_counter()
reach_offset = previous_error(top) if top is not None else None
t_reach = time.perf_counter() - t

worker.join()
t_index = time.perf_counter() - t0
view = RecordView.of(index)
n = len(view)

def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out

def screen_at(row):
    view.records(max(row - SCREEN // 2, 0), row + SCREEN // 2)
    return row

t_last, last = timed(lambda: screen_at(view.find_level(n, Level.ERROR, forward=False)))
# What the jumps made while indexing showed, against the full index (E from a row
# looks above it).
def error_above(row):
    return index.table.offsets[view.find_level(row, Level.ERROR, forward=False)]

end_ok = end_offset == index.table.offsets[n - 1]
error_ok = last_error_offset == error_above(n - 1)
reach_ok = None if tail_start is None else reach_offset == error_above(view.row_at(tail_start))
t_firsterr, _ = timed(lambda: screen_at(view.find_level(-1, Level.ERROR)))
t_middle, _ = timed(lambda: screen_at(n // 2))
t_none, hits_none = timed(lambda: sum(1 for _ in search(view, Query.parse("0x8009DEAD"))))
t_some, hits_some = timed(lambda: sum(1 for _ in search(view, Query.parse(sys.argv[2]))))
print(json.dumps({
    "records": n, "first_records": len(first),
    "import_s": t0 - t_start, "open_s": t_open, "first_screen_s": t_first, "index_s": t_index,
    "last_error_s": t_last, "last_error_row": last, "first_error_s": t_firsterr,
    "end_s": t_end, "end_running": end_running, "end_ok": end_ok,
    "end_error_s": t_end_error, "end_error_running": end_error_running, "end_error_ok": error_ok,
    "reach_s": t_reach, "reach_ok": reach_ok,
    "middle_s": t_middle, "search_absent_s": t_none, "search_common_s": t_some,
    "search_common_hits": hits_some, "search_absent_hits": hits_none,
    "columns_mb": index.table.nbytes() / 1e6, "chunks": index.chunk_count(),
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


_TUI_CHILD = r"""
import asyncio, json, statistics, sys, time
t_start = time.perf_counter()
from logscan.model import Level
from logscan.tui.app import LogscanApp
from logscan.tui.screens.viewer import ViewerScreen
from logscan.viewer import RecordView, open_logs

async def lag_while(busy, period=0.01):
    # How late the UI loop wakes up: what a key press waits before it is handled.
    lags = []
    while busy():
        t = time.perf_counter()
        await asyncio.sleep(period)
        lags.append((time.perf_counter() - t - period) * 1000)
    return lags or [0.0]

def draw(table):
    # The work of one full repaint of the table: every visible line rendered.
    for y in range(table.size.height):
        table.render_line(y)

async def main():
    opened = open_logs([sys.argv[1]])
    app = LogscanApp(opened.indexes)
    out = {"import_s": time.perf_counter() - t_start}
    async with app.run_test(size=(160, 50)) as pilot:
        while not isinstance(app.screen, ViewerScreen) or not len(app.screen.view):
            await asyncio.sleep(0.002)  # not pilot.pause(): it waits for an idle CPU
        screen = app.screen
        draw(screen.table)
        out["first_screen_s"] = time.perf_counter() - t_start
        index = opened.indexes[0]
        table, view = screen.table, lambda: screen.view
        # G at once: the end lands when the engine's tail is shown (the table keeps the
        # cursor at the end meanwhile). The keys' actions are called as the bindings do:
        # pilot.press() would wait for an idle CPU, which indexing never leaves.
        t = time.perf_counter()
        table.action_last()
        while not (view().gap_row is not None or index.done) or table.cursor != len(view()) - 1:
            await asyncio.sleep(0.002)
        draw(table)
        out["end_s"] = time.perf_counter() - t
        out["end_at_s"] = time.perf_counter() - t_start
        out["end_running"] = not index.done
        end_offset = view().offset_at(table.cursor)
        # E: the last error; into the gap, the engine reaches back for it.
        t = time.perf_counter()
        screen.action_level(3, -1)
        while screen.pending_text or table.cursor == view().gap_row:
            await asyncio.sleep(0.002)
        draw(table)
        out["end_error_s"] = time.perf_counter() - t
        out["end_error_at_s"] = time.perf_counter() - t_start
        out["end_error_running"] = not index.done
        error_offset = table.record(table.cursor).offset
        t_lag = time.perf_counter()
        lags = await lag_while(lambda: not index.done and time.perf_counter() - t_lag < 3)
        out["lag_p50_ms"] = statistics.median(lags)
        out["lag_p95_ms"] = sorted(lags)[int(len(lags) * 0.95)]
        out["lag_max_ms"] = max(lags)
        await app.workers.wait_for_complete()
        await pilot.pause()
        out["indexed_s"] = time.perf_counter() - t_start
        n = len(index)
        last = RecordView.of(index).find_level(n - 1, Level.ERROR, forward=False)
        out["end_ok"] = end_offset == index.table.offsets[n - 1]
        out["end_error_ok"] = error_offset == index.table.offsets[last]
        t = time.perf_counter()
        screen.table.action_last()
        screen.action_level(3, -1)
        draw(screen.table)
        out["last_error_s"] = time.perf_counter() - t
        out["row"] = screen.table.cursor
    print(json.dumps(out))

asyncio.run(main())
"""


# A literal in a few percent of each generated format's records.
_COMMON = {"ccm": "0x80092024", "legacy": "Failed to connect", "usmt": "Duplicate manifest"}


def _tui(path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", _TUI_CHILD, str(path)], check=True, capture_output=True, text=True
    )
    res = json.loads(out.stdout.strip().splitlines()[-1])
    print("  TUI (headless, 160x50), from process start:")
    print(f"    first screen drawn     {res['first_screen_s']:7.3f} s   (target < 1.5 s)")
    print(
        f"    G while indexing       {res['end_s']:7.3f} s   (target < 0.5 s; at "
        f"{res['end_at_s']:.2f} s, index running: {res['end_running']}, "
        f"right: {res['end_ok']})"
    )
    print(
        f"    then E                 {res['end_error_s']:7.3f} s   (target < 0.5 s; at "
        f"{res['end_error_at_s']:.2f} s, index running: {res['end_error_running']}, "
        f"right: {res['end_error_ok']})"
    )
    print(
        f"    UI loop lag, indexing  {res['lag_p50_ms']:7.1f} ms median, "
        f"{res['lag_p95_ms']:.1f} ms p95, {res['lag_max_ms']:.1f} ms max"
    )
    print(f"    indexed                {res['indexed_s']:7.2f} s")
    print(f"    G, E, redraw, indexed  {res['last_error_s']:7.3f} s   (target < 0.5 s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=float, default=1000)
    ap.add_argument("--formats", default="ccm")
    ap.add_argument("--no-tui", action="store_true", help="engine figures only")
    args = ap.parse_args()
    corpus = HERE / "_corpus"
    corpus.mkdir(exist_ok=True)
    for kind in args.formats.split(","):
        if kind not in GENERATORS:
            raise SystemExit(f"unknown format {kind!r}; known: {', '.join(GENERATORS)}")
        path = corpus / f"{kind}_{args.size_mb:g}MB.log"
        if not path.exists():
            print(f"generating {path} ...", file=sys.stderr)
            write_log(kind, path, int(args.size_mb * 1e6))
        mb = path.stat().st_size / 1e6
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path), _COMMON[kind]],
            check=True,
            capture_output=True,
            text=True,
        )
        res = json.loads(out.stdout)
        print(f"{kind}: {mb:.0f} MB, {res['records']:,} records, {res['chunks']:,} chunks")
        print(f"  start-up (imports)       {res['import_s']:7.3f} s")
        print(f"  open (head, format)      {res['open_s']:7.3f} s")
        print(f"  first screen             {res['first_screen_s']:7.3f} s   (target < 1.5 s)")
        print(
            f"  end shown, indexing      {res['end_s']:7.3f} s   (from open; target < 0.5 s; "
            f"index running: {res['end_running']}, right: {res['end_ok']})"
        )
        print(
            f"  last error, indexing     {res['end_error_s']:7.3f} s   (from open; index "
            f"running: {res['end_error_running']}, right: {res['end_error_ok']})"
        )
        if res["reach_ok"] is not None:
            print(
                f"  error before the tail    {res['reach_s']:7.3f} s   (reached back into "
                f"the gap; right: {res['reach_ok']})"
            )
        rate = mb / res["index_s"]
        print(f"  full index               {res['index_s']:7.2f} s   ({rate:.0f} MB/s)")
        print(f"  jump to last error       {res['last_error_s']:7.3f} s   (indexed)")
        print(f"  jump to first error      {res['first_error_s']:7.3f} s")
        print(f"  jump to the middle       {res['middle_s']:7.3f} s")
        print(
            f"  search, absent literal   {res['search_absent_s']:7.2f} s   "
            f"({res['search_absent_hits']} hits)"
        )
        print(
            f"  search, common literal   {res['search_common_s']:7.2f} s   "
            f"({res['search_common_hits']:,} hits)"
        )
        print(
            f"  memory: columns {res['columns_mb']:.1f} MB, peak RSS {res['rss_mb']:.0f} MB "
            f"({res['rss_mb'] / mb:.1%} of the file)"
        )
        if not args.no_tui:
            _tui(path)


if __name__ == "__main__":
    main()
