"""What the curators see: feedback on answers and the questions the bot could not answer.

Records are plain data (`records`), made safe before they are kept (`privacy`), queued off
the reply path (`recorder`) and written to SQL (`database`, SQLAlchemy and Alembic,
imported only when something is written).
"""
