"""Sub-commands of `yizhan training` (see yizhan.subcommands)."""
