"""Keeps asyncio, shutil, zipfile, tempfile and traceback out of the memory snapshot until used.

Written into site-packages as ``sitecustomize.py`` while the snapshot is made
(kennisbank/pyodide/make_snapshot.mjs), so that Python runs it before Pyodide's
own start-up. That start-up imports asyncio (its core reads
``asyncio.get_event_loop`` once; ``pyodide.webloop`` installs its event loop),
shutil, zipfile and tempfile to install packages, and traceback to make
``traceback.print_exception`` Python's ``sys.excepthook``: about 80 modules,
ssl, socket, subprocess and logging among them, and about a third of the
snapshot that every reader downloads, for calculators that never await, unpack
or print a traceback.

These modules are created empty instead, holding only the names Pyodide's
start-up reads (stand-ins), and run for real, into the same module objects, on
first use of any other name, as ``importlib.util.LazyLoader`` does. Pyodide's
event loop is then installed as at a normal start. A restored Python that does
use them reads them from the standard library, which the worker keeps readable
on demand (calculator/worker/restore.mjs).

The snapshot is taken before ``start_up_done()``: Pyodide sets the excepthook
again on every restore, and reads the stand-in then too. The worker calls it
once Python is restored.

Standard library only (importlib.abc would import more), and it holds no
JavaScript object but the one Pyodide's start-up holds: make_snapshot.mjs checks
a restored copy. The normal start (the fallback) does not use this file.
"""

from __future__ import annotations

import sys
import time
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

ASYNCIO = "asyncio"
WEBLOOP = "pyodide.webloop"
_executed: set[str] = set()
_replays: dict[str, list[tuple[str, tuple[Any, ...], dict[str, Any]]]] = {}
_loop_wanted = False
_loop_installed = False
_starting = True  # stand-ins are read only during Pyodide's start-up
_real_sleep = time.sleep
# What the import system sets before a module runs, and reads when it is imported
# again (`import asyncio` reads __spec__, `from .webloop import x` __path__).
_SET_BY_IMPORT = frozenset(
    ("__name__", "__spec__", "__loader__", "__package__", "__path__", "__file__", "__cached__")
)


class _Deferred(ModuleType):
    """A module not run yet. During Pyodide's start-up its stand-ins and the
    attributes the import system set are read as they are; any other use, and
    any use after the start-up, runs the module first. (Importing a submodule
    reads the package's __path__, so the package runs first, as it always does.)"""

    def __getattribute__(self, name: str) -> object:
        own = object.__getattribute__(self, "__dict__")
        if name in ("__class__", "__dict__"):
            return object.__getattribute__(self, name)
        if _starting and name in own["_kb_stand_ins"]:
            return own[name]
        if _starting and name in _SET_BY_IMPORT:
            if name in own:
                return own[name]
            raise AttributeError(name)  # __path__ of a module that is no package
        _run(self)
        return getattr(self, name)

    def __setattr__(self, name: str, value: object) -> None:
        _run(self)
        setattr(self, name, value)

    def __delattr__(self, name: str) -> None:
        _run(self)
        delattr(self, name)


def _run(module: ModuleType) -> None:
    if type(module) is not _Deferred:
        return  # run already, or running
    own = object.__getattribute__(module, "__dict__")
    object.__setattr__(module, "__class__", ModuleType)
    for name in own.pop("_kb_stand_ins"):
        del own[name]
    if module.__name__ == WEBLOOP:
        time.sleep = _real_sleep  # webloop keeps the sleep it finds as the original
    module.__spec__.loader.exec_module(module)
    _executed.add(module.__name__)
    for name, args, kwargs in _replays.pop(module.__name__, ()):
        getattr(module, name)(*args, **kwargs)
    _install_loop()


def _install_loop() -> None:
    """Pyodide's event loop, as its start-up asked, once both modules have run."""
    global _loop_installed
    if not _loop_wanted or _loop_installed or ASYNCIO not in _executed:
        return
    if WEBLOOP in _executed:
        _loop_installed = True
        sys.modules[WEBLOOP]._initialize_event_loop()
    else:
        _run(sys.modules[WEBLOOP])  # installs it when done


def _get_event_loop() -> object:
    return sys.modules[ASYNCIO].get_event_loop()


def _initialize_event_loop() -> None:
    """What pyodide/__init__.py calls at start-up: installing the loop waits."""
    global _loop_wanted
    _loop_wanted = True
    # Pyodide's snapshot expects the JavaScript objects its start-up holds, in
    # their order; webloop holds this one from its first lines on.
    from pyodide_js._api import scheduleCallback

    object.__getattribute__(sys.modules[WEBLOOP], "__dict__")["_kb_js"] = scheduleCallback
    time.sleep = _sleep


def _sleep(seconds: float) -> None:
    """time.sleep until asyncio runs; then Pyodide's own, as at a normal start."""
    _run(sys.modules[ASYNCIO])
    time.sleep(seconds)


def _calls(module: str, name: str) -> Any:
    """A stand-in for a class or function that is only called: it calls the real one."""

    def call(*args: Any, **kwargs: Any) -> Any:
        real = sys.modules[module]
        _run(real)  # during the start-up, the module would give this stand-in back
        return getattr(real, name)(*args, **kwargs)

    return call


def _later(module: str, name: str) -> Any:
    """A stand-in for a function called for its effect: the call is made once
    the module has run, in the order they came."""

    def record(*args: Any, **kwargs: Any) -> None:
        if module in _executed:
            getattr(sys.modules[module], name)(*args, **kwargs)
        else:
            _replays.setdefault(module, []).append((name, args, kwargs))

    return record


# The names Pyodide's start-up reads from each module. pyodide._package_loader
# binds ZipFile and NamedTemporaryFile, to install packages (a restored Python
# does not): they stay stand-ins there, and call the real ones. It registers
# the wheel format with shutil, which is done when shutil runs.
_STAND_INS = {
    ASYNCIO: {"get_event_loop": _get_event_loop},
    WEBLOOP: {"_initialize_event_loop": _initialize_event_loop, "_kb_js": None},
    "shutil": {
        "register_archive_format": _later("shutil", "register_archive_format"),
        "register_unpack_format": _later("shutil", "register_unpack_format"),
        "_unpack_zipfile": _calls("shutil", "_unpack_zipfile"),
    },
    "tempfile": {"NamedTemporaryFile": _calls("tempfile", "NamedTemporaryFile")},
    # sys.excepthook, set at start-up and again on every restore.
    "traceback": {"print_exception": _calls("traceback", "print_exception")},
    "zipfile": {"ZipFile": _calls("zipfile", "ZipFile")},
}


class _DeferringLoader:
    """Like importlib.util.LazyLoader, with stand-ins readable before the run."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self.real.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        # The real loader from now on: it runs the module, and tracebacks read
        # their source through it.
        module.__spec__.loader = module.__loader__ = self.real
        stand_ins = _STAND_INS[module.__name__]
        module.__dict__.update(stand_ins, _kb_stand_ins=tuple(stand_ins))
        object.__setattr__(module, "__class__", _Deferred)


class _DeferringFinder:
    def find_spec(self, name: str, path: object = None, target: object = None) -> ModuleSpec | None:
        if name not in _STAND_INS or name in _executed:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                spec.loader = _DeferringLoader(spec.loader)
                return spec
        return None


def start_up_done() -> None:
    """From now on any use of a module not run yet runs it: the stand-ins that
    Pyodide's start-up took keep working, but nothing else gets one (a module
    that subclasses zipfile.ZipFile needs the class).

    The worker calls this once Python is restored (calculator/worker/restore.mjs),
    after Pyodide's restore has read the excepthook's stand-in."""
    global _starting
    _starting = False
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)


_finder = _DeferringFinder()
sys.meta_path.insert(0, _finder)
