"""gunicorn settings read by ``gunicorn wsgi:app`` run from the project folder.

No personal data in logs (PIPL): the access log records the path without its query string
(a search for a person's name or phone would otherwise be written down) and without the
Referer (which carries the previous page's query string).
"""

accesslog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(M)sms'


def post_worker_init(worker):
    """Move everything the loaded application holds (modules, the ORM's mappers, compiled
    templates: some 200,000 objects) out of the garbage collector's sight. Otherwise a full
    collection walks them all now and then, stalling that worker's requests for ~100 ms; each
    request's own garbage is still collected as before."""
    import gc

    gc.collect()
    gc.freeze()
