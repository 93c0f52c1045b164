"""Sub-commands of `yizhan anniversaries` (see yizhan.subcommands)."""
