"""Case analysis: read a claim against everything the buyer said before about the same order."""
from claimlens.cases.analyze import analyze_case
from claimlens.cases.case import Case, parse_case

__all__ = ["Case", "parse_case", "analyze_case"]
