"""The web blueprint of the needs module; its views register on it."""

from flask import Blueprint

bp = Blueprint("needs", __name__, template_folder="templates")
