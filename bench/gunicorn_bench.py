"""gunicorn settings for the HTTP bench: no access log, nothing else read from the environment."""

accesslog = None
timeout = 30
