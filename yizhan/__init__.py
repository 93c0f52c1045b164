"""Yizhan (一站): one-stop service hall and epidemic surveillance for a city."""

__version__ = "0.1.0"
