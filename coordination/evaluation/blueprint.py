"""The web blueprint of the evaluation module; its views register on it."""

from flask import Blueprint

bp = Blueprint("evaluation", __name__, template_folder="templates")
