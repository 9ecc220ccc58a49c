"""Evaluation: score eventwire output against gold data."""
