"""What every record kind shares: store, workflow engine, checks, git."""
