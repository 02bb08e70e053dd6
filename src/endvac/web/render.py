"""Templates: one Jinja2 environment per language; every page gets the user, the nav, the
CSRF token and the language (docs/languages.md)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from endvac.errors import EndvacError
from endvac.i18n import DEFAULT_LANG, LANGUAGES, N_, normalise, translations, web_lang
from endvac.i18n.jinja import EXTENSIONS, install, places_named
from endvac.i18n.numbers import decimal
from endvac.web.charts import breakdown_chart, trend_chart
from endvac.web.nav import nav_for
from endvac.web.svg import line_chart

LANG_COOKIE = "endvac_lang"
UNITS = {"per_100000": N_("per 100,000"), "per_1000": N_("per 1,000"),
         "per_child": N_("per child"), "percent": "%", "days": N_("days"), "yes_no": "",
         "ratio": ""}


@lru_cache(maxsize=len(LANGUAGES))
def templates(lang: str) -> Jinja2Templates:
    """The pages' templates in ``lang`` (one environment per language and worker)."""
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=True, extensions=EXTENSIONS)
    found = Jinja2Templates(env=env)
    install(found.env, lang)
    found.env.globals.update(breakdown_chart=breakdown_chart, trend_chart=trend_chart,
                             line_chart=line_chart)
    found.env.filters["number"] = lambda value, unit="": number(value, unit, lang)
    return found


def number(value: float | None, unit: str = "", lang: str = DEFAULT_LANG) -> str:
    """A figure as people read it: 1,234.5 per 100,000 (1.234,5 in pt); a dash when none."""
    if value is None:
        return "–"
    words = translations(lang).gettext
    if unit == "yes_no":
        return words("yes") if value else words("no")
    text = decimal(value, 1 if abs(value) < 1000 else 0, lang)
    label = UNITS.get(unit, unit)
    return f"{text} {words(label) if label else ''}".strip()


def language(request: Request) -> str:
    """The page's language: ?lang= > the remembered choice > Accept-Language > the
    workspace's ``language`` > English."""
    ctx = getattr(request.app.state, "ctx", None)
    configured = ctx.workspace.config.language if ctx is not None else None
    return web_lang(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE),
                    request.headers.get("accept-language"), configured)


def page(request: Request, name: str, data: dict[str, Any], status: int = 200) -> HTMLResponse:
    """Render a template in the request's language with the logged-in user (if any) and
    their nav entries; a language chosen with ?lang= is remembered in a cookie."""
    session = getattr(request.state, "session", None)
    lang = language(request)
    context = {"session": session, "nav": nav_for(session.user.role) if session else [],
               "damaged": _damaged(request) if session and session.user.role == "admin"
               else [], **data}
    with places_named(_places(request) if session else None):
        answer = templates(lang).TemplateResponse(request, name, context, status_code=status)
    if normalise(request.query_params.get("lang")):
        answer.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax",
                          httponly=True, path="/")
    return answer


def _places(request: Request) -> dict[str, dict[str, str]] | None:
    """The region and facility names of the newest snapshot (none before the first)."""
    try:
        snapshot = request.app.state.ctx.published.newest("snapshot").snapshot
    except EndvacError:
        return None
    found = snapshot.meta.get("place_names") if snapshot is not None else None
    return found if isinstance(found, dict) else None


def _damaged(request: Request) -> list[str]:
    """What an admin is told: the published snapshots and releases that cannot be read
    (an older good one is served meanwhile)."""
    cache = request.app.state.ctx.published
    return [f"{kind} {number}" for kind in ("snapshot", "release")
            for number in cache.unreadable(kind)]
