"""Sub-commands of `yizhan surveillance` (see yizhan.subcommands)."""
