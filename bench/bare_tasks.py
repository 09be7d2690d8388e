"""The bare project's one task, so its db_worker has run something when it is measured."""

from django.tasks import task


@task
def ping() -> str:
    return "pong"
