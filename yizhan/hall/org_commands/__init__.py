"""Sub-commands the hall adds to `yizhan org` (see yizhan.org.management.commands.org)."""
