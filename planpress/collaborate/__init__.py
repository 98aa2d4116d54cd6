"""Working together on a plan: versions, changes between them, owners and status, layout."""
