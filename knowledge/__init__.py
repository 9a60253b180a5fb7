"""The built-in knowledge base: one Markdown article per topic id."""
