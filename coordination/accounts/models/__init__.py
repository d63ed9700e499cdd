from coordination.accounts.models.security import (
    LoginAttempt,
    RecoveryCode,
    TotpFactor,
    UserSession,
)
from coordination.accounts.models.tokens import ApiToken
from coordination.accounts.models.users import User, UserRole

__all__ = ["ApiToken", "LoginAttempt", "RecoveryCode", "TotpFactor", "User", "UserRole", "UserSession"]
