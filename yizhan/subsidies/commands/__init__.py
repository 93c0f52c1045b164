"""Sub-commands of `yizhan subsidies` (see yizhan.subsidies)."""
