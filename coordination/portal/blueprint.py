"""The web blueprint of the portal; its views register on it."""

from flask import Blueprint

bp = Blueprint("portal", __name__, template_folder="templates")
