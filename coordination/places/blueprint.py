"""The web blueprint of the places module; its views register on it."""

from flask import Blueprint

bp = Blueprint("places", __name__, template_folder="templates")
