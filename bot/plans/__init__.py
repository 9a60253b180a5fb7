"""A company's plan profile (BOT_PLAN_FILE): schema, loader, vocabulary and answers.

Nothing is imported here, so a bot without a profile never loads these modules:
`profile` (the schema), `loading` (the file), `vocabulary` (which questions are about
our plan), `facts` and `answers` (what is said), `calculators` (the plan's defaults and
caps), `hook` (what the engine calls), `setting` (BOT_PLAN_FILE).
"""
