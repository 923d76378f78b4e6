"""Every tunable number of DOMAIN in one object (the *setting* column)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    # DOMAIN section 2: max days since last touch; None = no threshold.
    level_threshold_days: dict[str, int | None] = Field(
        default_factory=lambda: {
            "c_level": 365,
            "vp": 182,
            "director": 91,
            "manager": 30,
            "user": None,
        }
    )
    role_threshold_days: dict[str, int] = Field(
        default_factory=lambda: {
            "executive_sponsor": 90,
            "champion": 30,
            "economic_buyer": 90,
        }
    )
    engaged_min_strength: int = 3
    decision_maker_window_days: int = 365
    champion_departed_window_days: int = 90
    renewal_window_days: int = 90
    renewal_touch_window_days: int = 90
    due_soon_days: int = 14
    high_points: int = 30
    medium_points: int = 12
    # DOMAIN section 5.
    sponsor_default_capacity: int = 3
    program_size: int = 12


DEFAULT_SETTINGS = Settings()
