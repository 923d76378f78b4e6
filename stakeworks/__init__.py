"""Stakeworks: stakeholder maps and single-thread risk for Customer Success Managers."""

__version__ = "0.2.0"
