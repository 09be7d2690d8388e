"""The peer comparison's pieces that run outside our own project (bench/peer_helpdesk.py).

`protocol` is shared by both sides' driver processes (stdlib and Django only, so it imports under
either virtualenv); `settings`, `urls` and `driver` are the peer's minimal Django project and run
only under the peer's own virtualenv, where django-helpdesk is installed. Nothing here imports
our application, and nothing of the peer's is imported by our application.
"""
