from coordination.accounts.models.tokens import ApiToken
from coordination.accounts.models.users import User, UserRole

__all__ = ["ApiToken", "User", "UserRole"]
