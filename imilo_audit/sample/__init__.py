"""Synthetic i-milo export folders with the exact findings the rules must produce (`attendus.csv`)."""

from .generator import build_sample, generate_sample
from .model import SampleSummary

__all__ = ["SampleSummary", "build_sample", "generate_sample"]
