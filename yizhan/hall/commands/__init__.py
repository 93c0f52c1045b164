"""Sub-commands of `yizhan hall`: one module per sub-command (see yizhan.subcommands)."""

from yizhan.subcommands import FILE_ARGUMENT_HELP, import_file, open_input

__all__ = ["FILE_ARGUMENT_HELP", "import_file", "open_input"]
