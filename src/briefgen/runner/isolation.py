"""Untrusted documents are read in worker processes that each have a memory and a time limit, so one hostile
file (a small PDF that unpacks to gigabytes, or takes minutes to parse) costs one worker, never the run.

Workers are forked once and each runs the stage's initialiser (the compiled lexicon...) once, then takes one
document at a time. Before each document a worker caps its own address space at its current size plus the
memory limit (`RLIMIT_AS`: Python raises `MemoryError`, pdfium aborts the process), and its CPU time as a
backstop (`RLIMIT_CPU`); the parent kills a worker that passes its wall-clock deadline. A worker that dies or
is killed is reaped and replaced, and its document comes back as `Stopped`, with the limit it hit; every other
document still gets its result, in input order. Workers die with the parent (Ctrl-C, an exception, a kill).
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import pickle
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection, Pipe, wait
from typing import Any, Generic, Literal, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

_MB = 1024 * 1024


@dataclass(frozen=True)
class Stopped:
    """A document whose worker was stopped before it finished: over the memory or time limit, or crashed.

    `lasting` is whether the same file would stop the same way again with the same limits (so its result may be
    cached); a worker killed from outside (the kernel's out-of-memory killer, an administrator) is not."""

    reason: Literal["memory", "time", "crash"]
    detail: str
    lasting: bool = True


@dataclass(frozen=True)
class Confinement:
    """The limits of one document in a worker; None for no limit."""

    memory_bytes: int | None = None
    seconds: float | None = None

    def memory_detail(self) -> str:
        return f"needed more than {(self.memory_bytes or 0) // _MB} MB to read"

    def time_detail(self) -> str:
        return f"took longer than {self.seconds:g} s to read"


def run_isolated(
    work: Callable[[Item], Result],
    items: list[Item],
    *,
    jobs: int,
    confinement: Confinement,
    initializer: Callable[..., None],
    init_args: tuple[Any, ...] = (),
) -> Generator[Result | Stopped, None, None]:
    """`work(item)` for every item in confined worker processes (at most `jobs`), in input order: its result,
    or `Stopped` when its worker hit a limit or died. An exception raised by `work` is raised here, at its
    item. Closing the iterator (or an exception, or Ctrl-C, while it runs) kills the workers."""
    if not items:
        return
    if not hasattr(os, "fork"):  # pragma: no cover - no fork (Windows): worker processes, without limits
        with ProcessPoolExecutor(
            min(jobs, len(items)), initializer=initializer, initargs=init_args
        ) as executor:
            yield from executor.map(work, items, chunksize=1)
        return
    pool = _Pool(max(1, min(jobs, len(items))), confinement, initializer, init_args, work)
    try:
        yield from pool.run(items)
    finally:
        pool.close()


# --- the parent's side -----------------------------------------------------------------------------------------


@dataclass
class _Worker:
    pid: int
    conn: Connection
    index: int | None = None  # the item it is working on
    deadline: float | None = None


@dataclass(frozen=True)
class _Raised:
    """`work` raised this exception: the parent raises it again at the item's turn."""

    error: BaseException


class _Pool(Generic[Item, Result]):
    def __init__(
        self,
        size: int,
        confinement: Confinement,
        initializer: Callable[..., None],
        init_args: tuple[Any, ...],
        work: Callable[[Item], Result],
    ) -> None:
        self.size = size
        self.confinement = confinement
        self.serve_args = (initializer, init_args, work, confinement)
        self.workers: list[_Worker] = []

    def run(self, items: list[Item]) -> Iterator[Result | Stopped]:
        pending = deque(range(len(items)))
        outcomes: dict[int, Result | Stopped | _Raised] = {}
        next_out = 0
        while next_out < len(items):
            while pending and (idle := self._idle_worker()) is not None:
                index = pending.popleft()
                try:
                    idle.conn.send(items[index])
                except OSError:  # it died while idle: the item never reached it
                    pending.appendleft(index)
                    self._reap(idle)
                    continue
                idle.index = index
                if self.confinement.seconds is not None:
                    idle.deadline = time.monotonic() + self.confinement.seconds
            busy = [worker for worker in self.workers if worker.index is not None]
            deadlines = [worker.deadline for worker in busy if worker.deadline is not None]
            timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            ready = wait([worker.conn for worker in busy], timeout)
            for worker in busy:
                current = worker.index
                assert current is not None
                if worker.conn in ready or worker.conn.poll(0):
                    outcomes[current] = self._receive(worker)
                elif worker.deadline is not None and time.monotonic() >= worker.deadline:
                    self._kill(worker)
                    outcomes[current] = Stopped("time", self.confinement.time_detail())
            while next_out in outcomes:
                outcome = outcomes.pop(next_out)
                next_out += 1
                if isinstance(outcome, _Raised):
                    raise outcome.error
                yield outcome

    def _idle_worker(self) -> _Worker | None:
        for worker in self.workers:
            if worker.index is None:
                return worker
        if len(self.workers) < self.size:
            worker = self._spawn()
            self.workers.append(worker)
            return worker
        return None

    def _receive(self, worker: _Worker) -> Result | Stopped | _Raised:
        """The reply of a worker that has one, or why it died without one."""
        worker.index = worker.deadline = None
        try:
            kind, value = worker.conn.recv()
        except (EOFError, OSError):  # it died: the way it died says why
            return self._reap(worker)
        except Exception as exc:  # a reply that cannot be unpickled
            return _Raised(RuntimeError(f"a worker's reply cannot be read ({type(exc).__name__}: {exc})"))
        if kind == "memory":  # the worker leaves after running out of memory: start afresh
            self._kill(worker)
            return Stopped("memory", self.confinement.memory_detail())
        if kind == "raised":
            return _Raised(value)
        result: Result = value
        return result

    def _spawn(self) -> _Worker:
        parent_end, child_end = Pipe()
        parent_pid = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker: it must never return into the parent's code
            status = 1
            try:
                parent_end.close()
                for other in self.workers:  # so a worker sees the parent go, not a sibling holding its pipe
                    other.conn.close()
                _serve(child_end, parent_pid, *self.serve_args)
                status = 0
            finally:
                os._exit(status)
        child_end.close()
        return _Worker(pid, parent_end)

    def _kill(self, worker: _Worker) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
        self._reap(worker)

    def _reap(self, worker: _Worker) -> Stopped:
        """Wait for a worker that has ended (or been killed), drop it, and say why it ended."""
        worker.conn.close()
        self.workers.remove(worker)
        try:
            _, status = os.waitpid(worker.pid, 0)
        except ChildProcessError:  # reaped elsewhere: nothing to tell
            return Stopped("crash", "the process reading it ended without a result", lasting=False)
        return _why_stopped(status, self.confinement)

    def close(self) -> None:
        """Kill and reap every worker: at the end of a run, and on an error or Ctrl-C in the middle of one."""
        for worker in list(self.workers):
            self._kill(worker)


def _why_stopped(status: int, confinement: Confinement) -> Stopped:
    """Why a worker ended without a result, from its exit status."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number == signal.SIGXCPU:  # the CPU-time backstop
            return Stopped("time", confinement.time_detail())
        # An allocation refused under the memory limit aborts pdfium (C++, Rust and Python's fatal errors too).
        if number == signal.SIGABRT and confinement.memory_bytes is not None:
            return Stopped("memory", confinement.memory_detail())
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        if number in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            return Stopped("crash", f"the process reading it was killed ({name})", lasting=False)
        return Stopped("crash", f"crashed the reader ({name})")
    return Stopped(
        "crash", f"the process reading it stopped (exit status {os.WEXITSTATUS(status)})", lasting=False
    )


# --- the worker's side -----------------------------------------------------------------------------------------


def _serve(
    conn: Connection,
    parent_pid: int,
    initializer: Callable[..., None],
    init_args: tuple[Any, ...],
    work: Callable[[Any], Any],
    confinement: Confinement,
) -> None:
    """A worker's life: set up once, then one item at a time until the parent closes the pipe or goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the parent decides
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    faulthandler.disable()  # a hostile file that aborts pdfium is one warning line, not a traceback dump
    _die_with_parent(parent_pid)
    limits = _Limits(confinement)
    init_error: BaseException | None = None
    try:
        initializer(*init_args)
    except Exception as exc:
        init_error = exc
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        if init_error is not None:
            conn.send(("raised", _portable(init_error)))
            return
        limits.confine()
        try:
            reply: tuple[str, Any] = ("done", work(item))
        except MemoryError:
            reply = ("memory", None)
        except Exception as exc:
            reply = ("raised", exc)
        finally:
            limits.release()
        if reply[0] == "raised":
            reply = ("raised", _portable(reply[1]))
        try:
            conn.send(reply)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            conn.send(("raised", RuntimeError(f"a worker's result cannot be sent ({exc})")))
        if reply[0] == "memory":
            return


def _portable(error: BaseException) -> BaseException:
    """The exception, if it survives pickling; otherwise a RuntimeError with its message."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def _die_with_parent(parent_pid: int) -> None:
    """Linux: the kernel kills this worker when the parent dies, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent_pid:  # the parent went before the request was made
        os._exit(1)


class _Limits:
    """A worker's limits for one document, on top of what it uses already; between documents the limits it
    started with (normally none) are back."""

    def __init__(self, confinement: Confinement) -> None:
        self.confinement = confinement
        try:
            import resource
        except ImportError:  # pragma: no cover - not POSIX
            self.resource: Any = None
            return
        self.resource = resource
        with contextlib.suppress(ValueError, OSError):  # no core dump per hostile file
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        self.memory = resource.getrlimit(resource.RLIMIT_AS)
        self.cpu = resource.getrlimit(resource.RLIMIT_CPU)

    def confine(self) -> None:
        if self.resource is None:  # pragma: no cover
            return
        r = self.resource
        if self.confinement.memory_bytes is not None and (size := _address_space()) is not None:
            self._lower(r.RLIMIT_AS, size + self.confinement.memory_bytes, self.memory)
        if self.confinement.seconds is not None:  # a backstop: the parent's deadline comes first
            usage = r.getrusage(r.RUSAGE_SELF)
            used = usage.ru_utime + usage.ru_stime
            self._lower(r.RLIMIT_CPU, int(used + self.confinement.seconds) + 2, self.cpu)

    def release(self) -> None:
        if self.resource is None:  # pragma: no cover
            return
        for which, original in ((self.resource.RLIMIT_AS, self.memory), (self.resource.RLIMIT_CPU, self.cpu)):
            with contextlib.suppress(ValueError, OSError):
                self.resource.setrlimit(which, original)

    def _lower(self, which: int, soft: int, original: tuple[int, int]) -> None:
        """Set the soft limit to `soft`, unless the one the worker started with is lower already."""
        for bound in original:
            if bound != self.resource.RLIM_INFINITY:
                soft = min(soft, bound)
        with contextlib.suppress(ValueError, OSError):
            self.resource.setrlimit(which, (soft, original[1]))


def _address_space() -> int | None:
    """This process's virtual memory size in bytes (Linux), or None where it cannot be known."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None
