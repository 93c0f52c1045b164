"""Sub-commands of `yizhan org` (see yizhan.subcommands)."""
