"""Sub-commands of `yizhan visits` (see yizhan.subcommands)."""
