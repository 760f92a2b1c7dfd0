"""The zmcheck CI driver. One module per idea; the subcommands live in commands/."""
