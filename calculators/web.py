"""The browser's single entry point: one JSON request in, one JSON answer out.

    {"op": "compute", "calculator": id, "inputs": {field: text}}
        -> {"result": <Result.to_dict()>, "chart": "<svg ...>"}
    {"op": "solve", "calculator": id, "field": f, "output": o, "target": text, "inputs": {...}}
        -> {"solved": {"field", "value", "display"}, "result": ..., "chart": ...}
    {"op": "compare" | "export", ...}: see calculators/keeping.py
    {"op": "check_block", "calculator": id, "defaults": {field: text}}
        -> {"problem": "<Dutch sentence>" | null}   the web editor's check of a
           ```calculator block, worded as the build's (calculators/blocks.py)
    anything wrong -> {"error": "<Dutch sentence>"}

handle() never raises: the page shows whatever comes back.
"""

import json

from . import keeping
from .blocks import block_problem
from .catalog import chart_svg, get
from .errors import UnknownCalculatorError, UnknownFieldError
from .model import Result
from .solve import solve

_BROKEN = "Deze vraag aan de rekenhulp klopt niet."
_FAILED = "Er ging iets mis bij het rekenen. Probeer het opnieuw met andere waarden."


def handle(request_json: str) -> str:
    """Answer one request (see the module docstring) as JSON text."""
    try:
        answer = _answer(request_json)
    except (UnknownCalculatorError, UnknownFieldError, LookupError) as error:
        answer = {"error": str(error)}
    except Exception:  # never let a traceback reach the reader
        answer = {"error": _FAILED}
    return json.dumps(answer, ensure_ascii=False, allow_nan=False)


def _answer(request_json: str) -> dict[str, object]:
    try:
        request = json.loads(request_json)
    except (TypeError, ValueError):
        return {"error": _BROKEN}
    if not isinstance(request, dict):
        return {"error": _BROKEN}
    if request.get("op") == "check_block":
        problem = block_problem(request.get("calculator"), request.get("defaults") or {})
        return {"problem": problem.message if problem else None}
    calculator = get(request.get("calculator"))  # type: ignore[arg-type]
    inputs = request.get("inputs") or {}
    if not isinstance(inputs, dict) or not all(
        isinstance(v, str | int | float | None) for v in inputs.values()
    ):
        return {"error": _BROKEN}
    op = request.get("op")
    if op == "compute":
        return _with_chart({}, calculator.compute(inputs))
    if op == "solve":
        field, output, target = (request.get(k) for k in ("field", "output", "target"))
        if not all(isinstance(x, str) for x in (field, output)):
            return {"error": _BROKEN}
        if not isinstance(target, str | int | float):
            return {"error": _BROKEN}
        solved = solve(calculator.id, str(field), str(output), target, inputs)
        if not solved.ok:
            return {"error": solved.reason}
        return _with_chart({"solved": solved.to_dict()}, solved.result)
    if op in keeping.OPS:  # scenario B and "Kopieer uitkomst"/CSV
        return keeping.OPS[op](calculator.id, inputs, request)
    return {"error": _BROKEN}


def _with_chart(answer: dict[str, object], result: Result) -> dict[str, object]:
    answer["result"] = result.to_dict()
    answer["chart"] = chart_svg(result)
    return answer
