"""Zip bundles read in place: safe member listing, bomb limits, and per-call member openers.

Nothing is ever extracted: member names only label sources (``bundle.zip!member``) and are
never used as paths. Members are refused (an ``InputProblem`` naming them, the rest of the
archive still read) when their name is absolute, has a drive letter or a ``..`` part, when
they are links, encrypted or use a compression method Python cannot read, or when they
exceed the limits in ``ZipLimits``. The limits are checked on the sizes the archive
declares and again while reading, since the declared sizes can lie.

Nesting: a zip inside a bundle (at any folder depth in it: a wave share zipped with one
zip per machine) is opened in place, one level deep. A zip inside that inner zip is
reported and skipped: collectors never produce it. Recently used inner zips are kept
decompressed in memory (``_NestedCache``, 256 MiB per process; inner zips over 64 MiB are
read in place, slowly), since seeking backwards in a compressed member starts over.

Each ``opener`` call reopens the archive from its path, so sources stay independent (one
can be read while another is open, in another thread or process) and the opener pickles.
"""

from __future__ import annotations

import io
import os
import threading
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import BinaryIO, cast

from logscan.inputs.inflate import DeflatedMember
from logscan.inputs.source import InputProblem

try:  # zipfile itself tolerates a Python built without lzma
    from lzma import LZMAError as _LZMAError
except ImportError:  # pragma: no cover
    _LZMAError = zlib.error  # type: ignore[misc,assignment]

GIB = 1 << 30
MIB = 1 << 20

_READABLE_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
# What zipfile and the decompressors raise on damaged data; readers see ArchiveReadError.
_DAMAGE = (zipfile.BadZipFile, zlib.error, _LZMAError, EOFError, NotImplementedError)
_S_IFMT, _S_IFLNK = 0o170000, 0o120000
_ENCRYPTED_FLAGS = 0x1 | 0x40  # traditional and strong encryption bits


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """Refusal thresholds against zip bombs; the defaults fit any real log bundle."""

    member_size: int = 2 * GIB  # uncompressed size of one member
    ratio: float = 200.0  # uncompressed / compressed, above ...
    ratio_min_size: int = 10 * MIB  # ... this uncompressed size
    archive_size: int = 8 * GIB  # sum of uncompressed member sizes in one archive
    members: int = 100_000  # entries in one archive


DEFAULT_LIMITS = ZipLimits()


class ArchiveReadError(OSError):
    """A zip member could not be read: damaged data, or it produced more than declared."""


@dataclass(frozen=True, slots=True)
class ZipMember:
    """A readable member found in a bundle (possibly inside a nested zip)."""

    display: str  # "bundle.zip!folder/name.log" (prefix given by the caller)
    problem_path: str  # same, rooted at the archive's real path, for InputProblems
    name: str  # bare file name of the member
    size: int
    opener: ZipMemberOpener


@dataclass(frozen=True, slots=True)
class ZipMemberOpener:
    """Opens one member read-only, reopening the archive (and any outer one) each call."""

    archive: str
    chain: tuple[tuple[int, str], ...]  # (index in infolist, name) from outermost zip in
    limit: int  # bytes the member may produce: its declared size

    def __call__(self) -> BinaryIO:
        stack = ExitStack()
        try:
            fh = self._open(stack)
        except _DAMAGE as exc:
            stack.close()
            raise ArchiveReadError(f"damaged archive member: {exc}") from exc
        except BaseException:
            stack.close()
            raise
        return cast(BinaryIO, io.BufferedReader(_BoundedRaw(fh, self.limit, stack)))

    def _open(self, stack: ExitStack) -> BinaryIO:
        if len(self.chain) == 1:
            kept = _kept_archive(self.archive)
            zf = kept or stack.enter_context(zipfile.ZipFile(self.archive))
            # Read through a handle of its own: the kept archive's serves other members.
            return _member(stack, zf, self.chain[0], lambda: open(self.archive, "rb"))
        fh, chain = self._start(stack)
        for index, name in chain[:-1]:  # a nested zip too big to keep: read in place
            zf = stack.enter_context(zipfile.ZipFile(fh))
            fh = cast(BinaryIO, stack.enter_context(zf.open(_pick(zf, index, name))))
        container = fh
        zf = stack.enter_context(zipfile.ZipFile(container))
        return _member(stack, zf, chain[-1], lambda: container)

    def _start(self, stack: ExitStack) -> tuple[BinaryIO, tuple[tuple[int, str], ...]]:
        """The stream to open a nested member's chain from: the nested zip from the cache
        (reading members of a compressed nested zip in place would decompress it from the
        start for every backward seek, several times per member), or the archive itself
        when it is too big to keep."""
        st = os.stat(self.archive)
        key = (self.archive, st.st_size, st.st_mtime_ns, self.chain[0])
        data = _NESTED.get(key)
        if data is None:
            with open(self.archive, "rb") as outer, zipfile.ZipFile(outer) as zf:
                info = _pick(zf, *self.chain[0])
                if info.file_size > _NESTED.max_item:
                    fh = stack.enter_context(open(self.archive, "rb"))  # noqa: SIM115
                    return fh, self.chain  # too big to keep: seek through it in place
                with zf.open(info) as inner:
                    data = inner.read(info.file_size + 1)
            if len(data) > info.file_size:
                raise ArchiveReadError("nested zip holds more data than its header declares")
            _NESTED.put(key, data)
        return io.BytesIO(data), self.chain[1:]


def _member(
    stack: ExitStack,
    zf: zipfile.ZipFile,
    link: tuple[int, str],
    container: Callable[[], BinaryIO],
) -> BinaryIO:
    """One member of ``zf``; a deflated one is inflated by ``inflate`` (ISA-L, faster
    than zipfile's zlib) straight from ``container``, the stream ``zf`` was read from."""
    info = _pick(zf, *link)
    if info.compress_type != zipfile.ZIP_DEFLATED:
        return cast(BinaryIO, stack.enter_context(zf.open(info)))
    raw = stack.enter_context(container())
    return cast(BinaryIO, stack.enter_context(DeflatedMember(raw, info)))


_KEPT = threading.local()


@contextmanager
def archives_kept_open() -> Iterator[None]:
    """Within this block, in this thread, member openers share one opened archive per zip
    instead of reopening it and reading its central directory again for every call.

    Diagnosing a zipped bundle opens each member several times (listing, sniffing,
    scanning, facts, certificates): a few dozen directory reads per bundle. The archives
    are closed when the block ends, so no handle outlives it (Windows would refuse to
    move or delete a zip held open). Nested blocks share the outermost one's archives."""
    if getattr(_KEPT, "archives", None) is not None:
        yield
        return
    archives: dict[tuple[str, int, int], zipfile.ZipFile] = {}
    _KEPT.archives = archives
    try:
        yield
    finally:
        _KEPT.archives = None
        for zf in archives.values():
            zf.close()


def _kept_archive(path: str) -> zipfile.ZipFile | None:
    """The archive kept open for ``path`` in this thread's block (None outside one); the
    key holds size and mtime, so an archive replaced meanwhile is opened afresh."""
    archives = cast(
        "dict[tuple[str, int, int], zipfile.ZipFile] | None", getattr(_KEPT, "archives", None)
    )
    if archives is None:
        return None
    st = os.stat(path)
    key = (path, st.st_size, st.st_mtime_ns)
    found = archives.get(key)
    if found is None:
        found = zipfile.ZipFile(path)  # opened by path: it owns the handle
        archives[key] = found
    return found


def _pick(zf: zipfile.ZipFile, index: int, name: str) -> zipfile.ZipInfo:
    infos = zf.infolist()
    info = infos[index] if index < len(infos) else None
    if info is None or info.filename != name:
        raise ArchiveReadError(f"archive changed since it was listed: {name!r}")
    return info


class _NestedCache:
    """Recently used nested zips, decompressed, per process (LRU within a byte budget)."""

    def __init__(self, budget: int) -> None:
        self.max_item = budget // 4
        self._budget = budget
        self._used = 0
        self._items: OrderedDict[object, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: object) -> bytes | None:
        with self._lock:
            data = self._items.get(key)
            if data is not None:
                self._items.move_to_end(key)
            return data

    def put(self, key: object, data: bytes) -> None:
        with self._lock:
            if key in self._items:
                return
            self._items[key] = data
            self._used += len(data)
            while self._used > self._budget and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self._used -= len(dropped)


_NESTED = _NestedCache(256 * MIB)


class _BoundedRaw(io.RawIOBase):
    """A member stream that refuses to produce more than ``limit`` bytes and turns
    decompressor failures into ``ArchiveReadError``; closing it closes the archive."""

    def __init__(self, inner: BinaryIO, limit: int, stack: ExitStack) -> None:
        super().__init__()
        self._inner = inner
        self._left = limit
        self._stack = stack

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        want = len(buffer)
        try:
            # One byte more than allowed, so an over-long member is noticed.
            data = self._inner.read(min(want, self._left + 1))
        except _DAMAGE as exc:
            raise ArchiveReadError(f"damaged archive member: {exc}") from exc
        if len(data) > self._left:
            raise ArchiveReadError("member holds more data than its header declares (zip bomb?)")
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._stack.close()
        super().close()


def _unsafe_name(name: str) -> str | None:
    """Why a member name must not be used, or None when it is a plain relative name."""
    path = name.replace("\\", "/")
    if "\0" in path:
        return "name contains a NUL character"
    if path.startswith("/"):
        return "absolute path"
    if len(path) >= 2 and path[1] == ":" and path[0].isalpha():
        return "drive letter in the name"
    if ".." in path.split("/"):
        return "'..' in the name (path traversal)"
    return None


def _printable(name: str) -> str:
    """The name with backslashes as '/' and control characters shown as '?'."""
    return "".join("?" if ord(c) < 32 or ord(c) == 127 else c for c in name.replace("\\", "/"))


def _refusal(info: zipfile.ZipInfo, limits: ZipLimits) -> tuple[str, bool] | None:
    """(reason, fatal) when a member must not be read."""
    if info.create_system == 3 and (info.external_attr >> 16) & _S_IFMT == _S_IFLNK:
        return "member skipped: symbolic link", False
    if info.flag_bits & _ENCRYPTED_FLAGS:
        return "member is encrypted; extract it with its password and give the folder", True
    if info.compress_type not in _READABLE_METHODS:
        return (
            f"member uses compression method {info.compress_type}, which cannot be read; "
            "re-zip the bundle with deflate",
            True,
        )
    if info.file_size > limits.member_size:
        return (
            f"member skipped: {info.file_size:,} bytes uncompressed exceeds the "
            f"{limits.member_size:,}-byte limit",
            False,
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > limits.ratio_min_size and ratio > limits.ratio:
        return (
            f"member skipped: compression ratio {ratio:,.0f}:1 over the "
            f"{limits.ratio:,.0f}:1 limit (zip bomb?)",
            False,
        )
    return None


def iter_members(
    archive: str,
    display: str,
    wanted: Callable[[str], bool],
    limits: ZipLimits = DEFAULT_LIMITS,
) -> Iterator[ZipMember | InputProblem]:
    """Members of the zip at ``archive`` whose file name ``wanted`` accepts, listed as
    ``display!member``, descending into nested zips one level; problems for refused
    members (unsafe names are reported whatever the file name)."""
    scan = _Scan(archive, wanted, limits)
    try:
        with open(archive, "rb") as fh, zipfile.ZipFile(fh) as zf:
            yield from scan.members(zf, display, (), archive)
    except OSError as exc:
        yield InputProblem(archive, f"cannot read archive: {exc.strerror or exc}")
    except _DAMAGE as exc:
        yield InputProblem(archive, f"not a readable zip archive (corrupt or truncated): {exc}")


class _Scan:
    """One archive being listed: the member filter and limits shared by every level."""

    def __init__(self, archive: str, wanted: Callable[[str], bool], limits: ZipLimits) -> None:
        self.archive = archive
        self.wanted = wanted
        self.limits = limits

    def members(
        self,
        zf: zipfile.ZipFile,
        display: str,
        chain: tuple[tuple[int, str], ...],
        problem_root: str,
    ) -> Iterator[ZipMember | InputProblem]:
        infos = zf.infolist()
        limits = self.limits
        if len(infos) > limits.members:
            yield InputProblem(
                problem_root,
                f"archive refused: {len(infos):,} entries over the {limits.members:,} limit",
            )
            return
        total = sum(i.file_size for i in infos if not i.is_dir())
        if total > limits.archive_size:
            yield InputProblem(
                problem_root,
                f"archive refused: members declare {total:,} bytes uncompressed, over the "
                f"{limits.archive_size:,}-byte limit (zip bomb?)",
            )
            return
        for index, info in enumerate(infos):
            if info.is_dir():
                continue
            shown = _printable(info.filename)
            name = shown.rpartition("/")[2]
            where = f"{problem_root}!{shown}"
            unsafe = _unsafe_name(info.filename)
            if unsafe:
                yield InputProblem(where, f"member skipped: {unsafe}", fatal_for_path=False)
                continue
            nested = name.lower().endswith(".zip")
            if not nested and not self.wanted(name):
                continue
            refused = _refusal(info, limits)
            if refused:
                yield InputProblem(where, refused[0], fatal_for_path=refused[1])
                continue
            link = (*chain, (index, info.filename))
            if not nested:
                yield ZipMember(
                    display=f"{display}!{shown}",
                    problem_path=where,
                    name=name,
                    size=info.file_size,
                    opener=ZipMemberOpener(self.archive, link, info.file_size),
                )
            elif chain:
                yield InputProblem(where, "member skipped: zip nested more than one level", False)
            else:
                yield from self._nested(zf, info, f"{display}!{shown}", link, where)

    def _nested(
        self,
        zf: zipfile.ZipFile,
        info: zipfile.ZipInfo,
        display: str,
        chain: tuple[tuple[int, str], ...],
        where: str,
    ) -> Iterator[ZipMember | InputProblem]:
        try:
            with zf.open(info) as inner_fh, zipfile.ZipFile(inner_fh) as inner:
                yield from self.members(inner, display, chain, where)
        except _DAMAGE as exc:
            yield InputProblem(where, f"nested zip is corrupt or truncated: {exc}")
