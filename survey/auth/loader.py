from flask_login import LoginManager

from survey.extensions import db
from survey.models import User


def register_user_loader(manager: LoginManager) -> None:
    manager.login_view = "auth.login"
    manager.login_message = None

    @manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user and user.active else None
