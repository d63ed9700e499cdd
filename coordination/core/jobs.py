"""Background jobs (后台任务) on Huey: notification e-mail, large exports, clean-ups.

The queue is kept in an SQLite file in the instance folder (``SqliteHuey``) on the embedded
default, and in Redis (``RedisHuey``) when ``REDIS_URL`` is set. ``flask --app coordination
worker`` runs the consumer.

A task is a plain function declared with ``@jobs.task(...)``; each application gets its own Huey
instance with every declared task bound to it, so tests (and a process holding several apps)
never share a queue. Every task runs inside the app's context with its own transaction: the
session is committed when the function returns and rolled back when it raises (Huey then
retries it when the task allows retries).

    @jobs.task(retries="MAIL_RETRIES", retry_delay="MAIL_RETRY_DELAY", retry_backoff=2)
    def send_email(...): ...

    send_email.enqueue(...)       # from a request or a command, in any app context

Huey itself (with the Redis and PostgreSQL clients its storage module loads) is imported when
an application first uses its queue, not when the application is made: a command that queues
nothing, such as an export or the scale seed, starts without it.
"""

from __future__ import annotations

import contextvars
import logging
import signal
import tempfile
import threading
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any
from typing import Callable

from flask import Flask
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from coordination.extensions import db

logger = logging.getLogger(__name__)

# True while a task declared with ``writes=True`` runs: SQLite then opens its transaction with
# BEGIN IMMEDIATE (see setup.py), as requests that change data do. Tasks that mostly read (an
# export) leave it off and write in short transactions of their own.
writing_job: contextvars.ContextVar[bool] = contextvars.ContextVar("writing_job", default=False)


HUEY_OPTIONS = ("retries", "retry_delay", "retry_backoff", "priority", "expires", "timeout")


@dataclass
class Task:
    """A declared task: the function and its Huey options (a string names a setting)."""

    func: Callable
    options: dict = field(default_factory=dict)
    schedule: Schedule | None = None  # when a periodic task runs

    @property
    def name(self) -> str:
        return f"{self.func.__module__}.{self.func.__name__}"

    def enqueue(self, *args, **kwargs):
        """Put the task on the current app's queue; returns Huey's result handle. Options
        naming a setting (``retry_delay="MAIL_RETRY_DELAY"``) are read now, from the app."""
        config = current_app.config
        for key, value in self.options.items():
            if key in HUEY_OPTIONS and isinstance(value, str):
                kwargs.setdefault(key, config[value])
        return bound_task(self.name)(*args, **kwargs)

    def __call__(self, *args, **kwargs):  # a task can still be called as a plain function
        return self.func(*args, **kwargs)


class Jobs:
    """The registry of tasks, bound to each application by ``init_app``."""

    def __init__(self) -> None:
        self.tasks: dict[str, Task] = {}

    def task(self, **options) -> Callable[[Callable], Task]:
        def decorator(func: Callable) -> Task:
            declared = Task(func, options)
            self.tasks[declared.name] = declared
            return declared

        return decorator

    def periodic(self, schedule: Schedule, **options) -> Callable[[Callable], Task]:
        def decorator(func: Callable) -> Task:
            declared = Task(func, options, schedule=schedule)
            self.tasks[declared.name] = declared
            return declared

        return decorator

    def init_app(self, app: Flask) -> None:
        app.extensions["jobs_queue"] = Queue(app, self)


@dataclass(frozen=True)
class Schedule:
    """When a periodic task runs, in the fields of Huey's ``crontab`` (minute, hour, day,
    month, day_of_week)."""

    fields: tuple[tuple[str, str], ...]

    def to_huey(self):
        from huey import crontab as huey_crontab

        return huey_crontab(**dict(self.fields))


def crontab(**fields: str) -> Schedule:
    """``@jobs.periodic(crontab(hour="3", minute="40"))``, as in Huey."""
    return Schedule(tuple(sorted(fields.items())))


class Queue:
    """One application's Huey instance with every declared task bound to it, made on first use
    (by any thread: the worker's threads may be the first)."""

    def __init__(self, app: Flask, registry: Jobs) -> None:
        self.app = app
        self.registry = registry
        self._lock = threading.Lock()
        self._huey = None
        self._tasks: dict[str, Any] = {}

    @property
    def huey(self):
        if self._huey is None:
            with self._lock:
                if self._huey is None:
                    self._tasks = self._bind(huey := make_huey(self.app))
                    self._huey = huey
        return self._huey

    @property
    def tasks(self) -> dict[str, Any]:
        self.huey  # noqa: B018 - binds the tasks on first use
        return self._tasks

    def _bind(self, huey) -> dict[str, Any]:
        bound = {}
        for name, declared in self.registry.tasks.items():
            options = {key: self.app.config[value] if isinstance(value, str) else value
                       for key, value in declared.options.items()}
            writes = bool(options.pop("writes", False))
            runner = _in_app_transaction(self.app, declared.func, writes)
            if declared.schedule is not None:
                bound[name] = huey.periodic_task(declared.schedule.to_huey(), name=name, **options)(runner)
            else:
                bound[name] = huey.task(name=name, **options)(runner)
        return bound


jobs = Jobs()


def make_huey(app: Flask):
    """RedisHuey when ``REDIS_URL`` is set, otherwise SqliteHuey on a file."""
    from huey import RedisHuey
    from huey import SqliteHuey

    name = app.config.get("JOBS_QUEUE_NAME", "golden-ribbon")
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        return RedisHuey(name, url=redis_url, utc=True)
    queue_file = app.config.get("JOBS_QUEUE_FILE")
    if not queue_file:
        if app.config.get("TESTING"):
            # Each test app gets its own queue, so no test sees another's jobs.
            queue_file = str(Path(tempfile.mkdtemp(prefix="gr-jobs-")) / "jobs.sqlite3")
        else:
            queue_file = str(Path(app.instance_path) / "jobs.sqlite3")
    return SqliteHuey(name, filename=queue_file, utc=True)


def enqueue_after_commit(task: Task, *args) -> None:
    """Queue ``task(*args)`` once the current transaction commits (nothing if it rolls back),
    so the job finds the rows the transaction wrote."""
    db.session.info.setdefault("jobs_after_commit", []).append((task, args))


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session) -> None:
    for task, args in session.info.pop("jobs_after_commit", []):
        try:
            task.enqueue(*args)
        except Exception:  # noqa: BLE001 - the change is committed; log what could not be queued
            logger.exception("Job %s could not be queued", task.name)


@event.listens_for(Session, "after_rollback")
def _drop_rolled_back(session) -> None:
    session.info.pop("jobs_after_commit", None)


def describe_queue(app: Flask) -> str:
    from huey import RedisHuey

    huey = huey_of(app)
    if isinstance(huey, RedisHuey):
        return "Redis"
    return f"the queue file {huey.storage.filename}"


def _in_app_transaction(app: Flask, func: Callable, writes: bool) -> Callable:
    def run(*args, **kwargs):
        token = writing_job.set(writes)
        try:
            with app.app_context():
                try:
                    result = func(*args, **kwargs)
                    db.session.commit()
                    return result
                except BaseException:
                    db.session.rollback()
                    raise
                finally:
                    db.session.remove()
        finally:
            writing_job.reset(token)

    run.__name__ = func.__name__
    run.__module__ = func.__module__
    run.__doc__ = func.__doc__
    return run


def huey_of(app: Flask | None = None):
    return (app or current_app).extensions["jobs_queue"].huey


def bound_task(name: str, app: Flask | None = None):
    return (app or current_app).extensions["jobs_queue"].tasks[name]


def _consumer_class(in_process: bool = False):
    """Huey's consumer, stopping gracefully on SIGINT as well as on SIGTERM: running tasks
    finish (up to ``shutdown_timeout`` seconds), then the process exits; a second signal
    stops at once. ``in_process``: the same consumer run in threads of the current process
    (tests, benchmarks), without taking over the process's signal handlers."""
    from huey.consumer import Consumer

    class GracefulConsumer(Consumer):
        def __init__(self, huey, **options):
            super().__init__(huey, graceful_signal="TERM", **options)
            self._signal_actions[signal.SIGINT] = (False, True)  # (restart, graceful)

        def _set_signal_handlers(self):
            if not in_process:
                super()._set_signal_handlers()

    return GracefulConsumer


def consumer(app: Flask, workers: int | None = None, **options):
    options.setdefault("shutdown_timeout", app.config.get("WORKER_SHUTDOWN_TIMEOUT", 30))
    options.setdefault("initial_delay", 0.1)
    options.setdefault("max_delay", 1.0)  # an idle worker looks for work at least every second
    options.setdefault("check_worker_health", True)
    return _consumer_class()(huey_of(app), workers=workers or app.config.get("WORKER_THREADS", 3),
                             worker_type="thread", **options)


__all__ = ["jobs", "crontab", "consumer", "huey_of", "bound_task", "writing_job", "Task"]


class running_worker:
    """``with running_worker(app):`` a real consumer with worker threads on the app's queue,
    stopped gracefully when the block ends."""

    def __init__(self, app: Flask, workers: int = 2):
        self.app = app
        self.consumer = _consumer_class(in_process=True)(
            huey_of(app), workers=workers, initial_delay=0.05, max_delay=0.2, shutdown_timeout=30,
            check_worker_health=False)

    def __enter__(self):
        self.consumer.start()
        return self.consumer

    def __exit__(self, *exc):
        self.consumer.stop(graceful=True)
        return False
