"""The web blueprint of the volunteers module; its views register on it."""

from flask import Blueprint

bp = Blueprint("volunteers", __name__, template_folder="templates")
