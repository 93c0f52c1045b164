"""Sub-commands of `yizhan divisions` (see yizhan.subcommands)."""
