"""Paging for long lists (every list in the product is paged)."""

from flask import request
from sqlalchemy import Select, func, select

from survey.extensions import db

PER_PAGE = 50


def paginate(stmt: Select, per_page: int = PER_PAGE):
    """The asked page of `stmt`; a page past the end shows the last page."""
    total = count_rows(stmt)
    return page_of(stmt, requested_page(total, per_page), per_page, total)


def count_rows(stmt: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))


def requested_page(total: int, per_page: int) -> int:
    """?page= held to 1..last page: an enormous number would not even fit the
    database's integer for OFFSET, and a page past the end would be empty."""
    last = max(1, -(-total // per_page))
    return min(max(request.args.get("page", 1, type=int), 1), last)


def page_of(stmt: Select, page: int, per_page: int, total: int):
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=False)
    pagination.total = total
    return pagination
