from coordination.accounts.models.security import LoginAttempt
from coordination.accounts.models.security import RecoveryCode
from coordination.accounts.models.security import TotpFactor
from coordination.accounts.models.security import UserSession
from coordination.accounts.models.tokens import ApiToken
from coordination.accounts.models.users import User
from coordination.accounts.models.users import UserRole

__all__ = ["ApiToken", "LoginAttempt", "RecoveryCode", "TotpFactor", "User", "UserRole", "UserSession"]
