"""Sub-commands the hall adds to `yizhan org` (see `yizhan.subcommands.extend`)."""
