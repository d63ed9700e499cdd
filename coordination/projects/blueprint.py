"""The web blueprint of the projects module; its views register on it."""

from flask import Blueprint

bp = Blueprint("projects", __name__, template_folder="templates")
