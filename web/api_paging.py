"""One shape for every list of the JSON API: `?page=` (from 1) and `?per_page=` (1-200,
default 50) in; out, an envelope `{"items": [...], "page", "per_page", "total"}` and the
headers `Link` (rel="first", "prev", "next", "last", as GitHub's API) and `X-Total-Count`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, Field

from .params import MAX_PAGE

T = TypeVar("T")
PER_PAGE = 50
MAX_PER_PAGE = 200


@dataclass(frozen=True)
class Paging:
    page: int  # from 1
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def slice(self, items: list[T]) -> list[T]:
        return items[self.offset:self.offset + self.per_page]


def _paging(page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Trang, từ 1.")] = 1,
            per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE,
                                           description="Số dòng mỗi trang (1-200).")] = PER_PAGE,
            ) -> Paging:
    return Paging(page, per_page)


PageParams = Annotated[Paging, Depends(_paging)]


class Page(BaseModel, Generic[T]):
    """A page of a list; the Link header names the first, previous, next and last pages."""

    items: list[T]
    page: int = Field(description="Trang này (từ 1).", examples=[1])
    per_page: int = Field(description="Số dòng tối đa mỗi trang.", examples=[50])
    total: int = Field(description="Số dòng của cả danh sách.", examples=[3])


def paged(request: Request, response: Response, items: list[T], total: int,
          paging: Paging) -> Page[T]:
    """The envelope, and the Link and X-Total-Count headers set on `response`."""
    last = max(1, -(-total // paging.per_page))
    pages = {"first": 1, "last": last}
    if paging.page > 1:
        pages["prev"] = min(paging.page - 1, last)
    if paging.page < last:
        pages["next"] = paging.page + 1
    links = [f'<{request.url.include_query_params(page=n, per_page=paging.per_page)}>;'
             f' rel="{rel}"' for rel, n in pages.items()]
    response.headers["Link"] = ", ".join(links)
    response.headers["X-Total-Count"] = str(total)
    return Page[T](items=items, page=paging.page, per_page=paging.per_page, total=total)
