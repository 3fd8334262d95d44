"""All calculators by id, in the order the site lists them."""

from collections.abc import Mapping
from decimal import localcontext

from . import cpl, incrementality, influencer, ltv_cac, mer, roas, video
from .errors import UnknownCalculatorError
from .model import CONTEXT, Calculator, RawValue, Result

registry: dict[str, Calculator] = {
    calculator.id: calculator
    for calculator in (
        cpl.CALCULATOR,
        roas.CALCULATOR,
        ltv_cac.CALCULATOR,
        influencer.CALCULATOR,
        video.CALCULATOR,
        mer.CALCULATOR,
        incrementality.CALCULATOR,
    )
}


def get(calculator_id: str) -> Calculator:
    """The calculator with this id; UnknownCalculatorError (Dutch message) otherwise."""
    try:
        return registry[calculator_id]
    except (KeyError, TypeError):
        raise UnknownCalculatorError(str(calculator_id), registry) from None


def compute(calculator_id: str, raw_inputs: Mapping[str, RawValue] | None = None) -> Result:
    """Run a calculator on raw (Dutch) inputs. Bad values never raise; unknown names do."""
    return get(calculator_id).compute(raw_inputs)


def chart_svg(result: Result) -> str:
    """The calculator's chart for this result as inline SVG ("" when it has none)."""
    calculator = get(result.calculator)
    if calculator.chart is None:
        return ""
    with localcontext(CONTEXT):
        return calculator.chart(result)
