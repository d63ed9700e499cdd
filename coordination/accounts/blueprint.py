"""The web blueprint of the accounts module; its views register on it."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, template_folder="templates")
