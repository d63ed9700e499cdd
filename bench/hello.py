"""The ceiling of bench/street.py: a bare Flask hello-world JSON route, served by gunicorn
exactly as the app is (same worker count and class), so a route's ratio to it shows what the
application itself costs on this machine."""

from flask import Flask
from flask import jsonify

app = Flask(__name__)


@app.get("/")
def hello():
    return jsonify(hello="world")
