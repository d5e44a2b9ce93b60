"""Command-line interface: `flask --app wsgi <command>`. Names are contracts."""

from flask import Flask


def register(app: Flask) -> None:
    from survey.cli import data, points, users

    for command in (data.seed_demo, data.import_group, users.create_user, points.points_group):
        app.cli.add_command(command)
