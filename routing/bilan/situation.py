"""What a household says about itself for a « bilan des droits ».

Every answer is optional: ``None`` means « je ne sais pas » (the question was skipped), which
is not the same as zero or « non ». Amounts are in euros per month, net (what reaches the
bank account). The situation only lives for the time of one request: it is never stored.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from types import MappingProxyType

from routing.errors import InvalidSituation


class Housing(enum.StrEnum):
    TENANT = "locataire"
    OWNER = "proprietaire"
    HOSTED = "heberge"
    HOMELESS = "sans-domicile"


HOUSING_LABELS = MappingProxyType(
    {
        Housing.TENANT: "Locataire",
        Housing.OWNER: "Propriétaire",
        Housing.HOSTED: "Hébergé par quelqu'un, sans payer de loyer",
        Housing.HOMELESS: "Sans domicile",
    }
)

MIN_ADULT_AGE = 16
MAX_AGE = 120
MAX_CHILD_AGE = 24
MAX_CHILDREN = 15
MAX_MONTHLY_EUR = 100_000
MAX_RENT_EUR = 20_000
MAX_ADDRESS_LENGTH = 200
INSEE_CODE = re.compile(r"^(?:[0-9]{2}|2[AB])[0-9]{3}$")


@dataclass(frozen=True)
class Situation:
    """A household's answers; ``None`` everywhere means « je ne sais pas ».

    ``age`` and the incomes without ``partner_`` are those of the person asking.
    ``other_monthly_income_eur`` gathers every income other than from work (pension,
    unemployment benefit…). ``children_ages`` lists the children living in the home (an
    empty tuple: no child). The place is an INSEE code or a free-text address, not both.
    """

    age: int | None = None
    couple: bool | None = None
    partner_age: int | None = None
    children_ages: tuple[int, ...] | None = None
    monthly_earnings_eur: float | None = None
    partner_monthly_earnings_eur: float | None = None
    other_monthly_income_eur: float | None = None
    housing: Housing | None = None
    rent_eur: float | None = None
    insee_code: str | None = None
    address: str | None = None
    disability_rate: int | None = None
    is_student: bool | None = None
    is_agricultural: bool | None = None

    def __post_init__(self) -> None:
        errors: dict[str, list[str]] = {}

        def fail(name: str, message: str) -> None:
            errors.setdefault(name, []).append(message)

        for name, value, low, high in (
            ("age", self.age, MIN_ADULT_AGE, MAX_AGE),
            ("partner_age", self.partner_age, MIN_ADULT_AGE, MAX_AGE),
            ("disability_rate", self.disability_rate, 0, 100),
        ):
            if value is not None and not low <= value <= high:
                fail(name, f"Entre {low} et {high}.")
        for name, amount, high in (
            ("monthly_earnings_eur", self.monthly_earnings_eur, MAX_MONTHLY_EUR),
            ("partner_monthly_earnings_eur", self.partner_monthly_earnings_eur, MAX_MONTHLY_EUR),
            ("other_monthly_income_eur", self.other_monthly_income_eur, MAX_MONTHLY_EUR),
            ("rent_eur", self.rent_eur, MAX_RENT_EUR),
        ):
            if amount is not None and not 0 <= amount <= high:  # NaN fails too
                fail(name, f"Un montant en euros par mois, entre 0 et {high} €.")
        if self.children_ages is not None:
            if len(self.children_ages) > MAX_CHILDREN:
                fail("children_ages", f"{MAX_CHILDREN} enfants au plus.")
            if any(not 0 <= age <= MAX_CHILD_AGE for age in self.children_ages):
                fail("children_ages", f"L'âge d'un enfant va de 0 à {MAX_CHILD_AGE} ans.")
        if self.couple is not True:
            for name in ("partner_age", "partner_monthly_earnings_eur"):
                if getattr(self, name) is not None:
                    fail(name, "Ne concerne qu'une personne en couple : répondez « en couple ».")
        if self.rent_eur is not None and self.housing not in (None, Housing.TENANT):
            fail("rent_eur", "Le loyer ne concerne que les locataires.")
        if self.insee_code is not None and not INSEE_CODE.fullmatch(self.insee_code):
            fail("insee_code", "Un code INSEE de commune : 5 caractères, par exemple 31555.")
        if self.address is not None and not 1 <= len(self.address.strip()) <= MAX_ADDRESS_LENGTH:
            fail("address", f"Entre 1 et {MAX_ADDRESS_LENGTH} caractères.")
        if self.insee_code is not None and self.address is not None:
            fail("address", "Indiquez une adresse ou un code INSEE, pas les deux.")
        if errors:
            raise InvalidSituation("Certaines réponses ne peuvent pas être lues.", errors)

    @property
    def has_place(self) -> bool:
        return self.insee_code is not None or self.address is not None

    @property
    def is_couple(self) -> bool:
        """A couple only when said so (« je ne sais pas » is counted as living alone)."""
        return self.couple is True

    @property
    def children(self) -> tuple[int, ...]:
        """The children's ages (none when the question was skipped)."""
        return self.children_ages or ()
