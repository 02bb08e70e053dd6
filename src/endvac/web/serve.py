"""`endvac serve`: uvicorn with one or more worker processes, each building the app from
the workspace named in the environment (so every worker is alike)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI

from endvac.errors import EndvacError
from endvac.web.app import create_app
from endvac.workspace import Workspace, open_workspace

WORKSPACE_ENV = "ENDVAC_WEB_WORKSPACE"


def app_from_env() -> FastAPI:
    """The app factory uvicorn calls in each worker (settings from ENDVAC_* variables,
    which run_server sets from its options)."""
    return create_app(open_workspace(Path(os.environ[WORKSPACE_ENV])))


def run_server(workspace: Path, *, host: str | None, port: int | None,
               workers: int | None, insecure_cookies: bool | None,
               say: Callable[[str], None] = lambda _msg: None) -> None:
    """Check the workspace and settings, then serve until interrupted."""
    import uvicorn

    ws = open_workspace(workspace)
    _catch_up(ws, say)
    settings = ws.settings
    host = host or settings.web_host
    os.environ[WORKSPACE_ENV] = str(workspace.resolve())
    os.environ["ENDVAC_WEB_HOST"] = host
    if insecure_cookies:
        os.environ["ENDVAC_WEB_INSECURE_COOKIES"] = "1"
    create_app(ws, insecure_cookies=insecure_cookies, host=host)  # refuse bad settings now
    port, workers = port or settings.web_port, workers or settings.web_workers
    say(f"serving {workspace} at http://{host}:{port}/ with {workers} worker(s); "
        "Ctrl-C stops")
    uvicorn.run("endvac.web.serve:app_from_env", factory=True, host=host,
                port=port, workers=workers,
                proxy_headers=False, log_level="warning", access_log=False)


def _catch_up(ws: Workspace, say: Callable[[str], None]) -> None:
    """Publish a delivery an interrupted ingest committed without its snapshot."""
    from endvac.publish.pending import catch_up

    try:
        summary = catch_up(ws)
    except EndvacError as exc:  # e.g. an ingest holds the store: serve what is published
        say(f"could not check for unpublished deliveries ({exc.message}); serving the "
            "newest snapshot")
        return
    if summary is not None:
        say(f"published snapshot {summary.number}: a delivery had no snapshot yet (an "
            "earlier run was interrupted)")
