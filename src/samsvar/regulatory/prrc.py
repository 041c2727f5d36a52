"""MDR/IVDR Article 15(1): the qualification of the person responsible for regulatory compliance.

(a) a degree in law, medicine, pharmacy, engineering or another relevant science plus at least
one year of professional experience in regulatory affairs or quality management systems relating
to medical devices (IVDs under the IVDR); or (b) four years of such experience. MDR Art. 15(2):
manufacturers of custom-made devices may instead show two years of experience in a relevant field
of manufacturing.
"""

DEGREE = "degree"
EXPERIENCE = "experience"
CUSTOM_MADE = "custom_made"

MIN_YEARS = {DEGREE: 1.0, EXPERIENCE: 4.0, CUSTOM_MADE: 2.0}

# Problem codes; the application translates them into messages.
NO_DEGREE = "no_degree"
TOO_LITTLE_EXPERIENCE = "too_little_experience"
CUSTOM_MADE_IVDR = "custom_made_ivdr"
UNKNOWN_ROUTE = "unknown_route"


def qualification_problems(
    *, route: str, has_degree: bool, years_experience: float, regimes: str
) -> list[str]:
    """Return what is missing for the chosen route; an empty list means Art. 15 is met."""
    if route not in MIN_YEARS:
        return [UNKNOWN_ROUTE]
    problems = []
    if route == DEGREE and not has_degree:
        problems.append(NO_DEGREE)
    if years_experience < MIN_YEARS[route]:
        problems.append(TOO_LITTLE_EXPERIENCE)
    if route == CUSTOM_MADE and regimes != "mdr":
        problems.append(CUSTOM_MADE_IVDR)
    return problems
