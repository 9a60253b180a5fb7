"""The checks on one year of `limits.yaml` (pydantic), giving the plain `YearLimits`."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, HttpUrl, model_validator

from calc.limits import PhaseOut, SimpleLimits, Source, YearLimits


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceSchema(_Strict):
    notice: str
    news_release: str
    url: HttpUrl


class PhaseOutSchema(_Strict):
    single: tuple[Decimal, Decimal]
    married_joint: tuple[Decimal, Decimal]
    married_separate: tuple[Decimal, Decimal]


class SimpleLimitsSchema(_Strict):
    deferral: Decimal
    catch_up_50: Decimal
    catch_up_60_63: Decimal | None
    higher_deferral: Decimal
    higher_catch_up_50: Decimal

    @model_validator(mode="after")
    def _consistent(self) -> SimpleLimitsSchema:
        if self.higher_deferral < self.deferral:
            raise ValueError("simple.higher_deferral must not be below simple.deferral")
        if self.catch_up_60_63 is not None and self.catch_up_60_63 < self.catch_up_50:
            raise ValueError("simple.catch_up_60_63 must not be below simple.catch_up_50")
        return self


class YearLimitsSchema(_Strict):
    year: int
    elective_deferral: Decimal
    catch_up_50: Decimal
    catch_up_60_63: Decimal | None
    annual_additions: Decimal
    compensation_limit: Decimal
    hce_threshold: Decimal
    ira_contribution: Decimal
    ira_catch_up: Decimal
    roth_ira_phaseout: PhaseOutSchema
    roth_catch_up_wage_threshold: Decimal
    roth_catch_up_enforced: bool
    simple: SimpleLimitsSchema
    source: SourceSchema

    @model_validator(mode="after")
    def _consistent(self) -> YearLimitsSchema:
        if self.annual_additions <= self.elective_deferral:
            raise ValueError("annual_additions must exceed elective_deferral")
        if self.catch_up_60_63 is not None and self.catch_up_60_63 < self.catch_up_50:
            raise ValueError("catch_up_60_63 must not be below catch_up_50")
        return self


def year_limits(data: object) -> YearLimits:
    """The figures of one year; pydantic's ValidationError (a ValueError) names what is wrong."""
    checked = YearLimitsSchema.model_validate(data)
    fields = {name: getattr(checked, name) for name in YearLimitsSchema.model_fields}
    return YearLimits(
        **{
            **fields,
            "roth_ira_phaseout": PhaseOut(**checked.roth_ira_phaseout.model_dump()),
            "simple": SimpleLimits(**checked.simple.model_dump()),
            "source": Source(
                checked.source.notice, checked.source.news_release, str(checked.source.url)
            ),
        }
    )
