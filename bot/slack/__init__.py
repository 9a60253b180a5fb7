"""The Slack adapter: slash commands, mentions, DMs, a modal and App Home on slack-bolt.

Only `app` and `run` import slack_bolt; the other modules are plain functions over
Slack's JSON payloads, so they can be tested without it.
"""
