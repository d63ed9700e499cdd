"""The web blueprint of the pledges module (承诺、践诺、评诺); its views register on it."""

from flask import Blueprint

bp = Blueprint("pledges", __name__, template_folder="templates")
