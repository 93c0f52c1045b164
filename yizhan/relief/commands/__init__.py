"""Sub-commands of `yizhan relief` (see yizhan.relief)."""
