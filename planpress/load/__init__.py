"""Reading content/: YAML and front matter with their lines, the template pack, typed records."""
