"""Paging for long lists (every list in the product is paged)."""

from flask import request
from sqlalchemy import Select

from survey.extensions import db

PER_PAGE = 50


def paginate(stmt: Select, per_page: int = PER_PAGE):
    page = request.args.get("page", 1, type=int)
    return db.paginate(stmt, page=max(page, 1), per_page=per_page, error_out=False)
