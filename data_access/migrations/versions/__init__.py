"""One module per app store revision, oldest first: ``0001`` is the schema the first release created."""
