"""The disclosure every reply carries unless `BOT_DISCLOSURE` replaces it."""

DEFAULT_DISCLOSURE = (
    "Educational information only, not individualized tax, legal or investment advice. "
    "Tax rules change and plans differ: check your plan documents and a tax professional."
)
