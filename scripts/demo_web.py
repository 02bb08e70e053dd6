"""make demo: serve the demo workspace for a moment and read it as a logged-in analyst.

Creates the analyst ``demo`` with a random password (written to OUT/demo-login.txt,
readable by you only), starts ``endvac serve`` on a free loopback port, logs in
through the login form, saves the dashboard and the strategy page as HTML, prints
what they show, and stops the server.  Usage: demo_web.py WORKSPACE OUT
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ENDVAC = str(Path(sys.executable).with_name("endvac"))


def main(workspace: Path, out: Path) -> int:
    password = secrets.token_urlsafe(12)
    subprocess.run([ENDVAC, "user", "add", str(workspace), "demo", "--role", "analyst",
                    "--password-stdin"], input=password + "\n", text=True, check=True,
                   capture_output=True)
    login_file = out / "demo-login.txt"
    login_file.write_text(f"user: demo\npassword: {password}\n", encoding="utf-8")
    os.chmod(login_file, 0o600)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    log = open(out / "serve.log", "w", encoding="utf-8")  # noqa: SIM115 (closed below)
    server = subprocess.Popen([ENDVAC, "serve", str(workspace), "--port", str(port),
                               "--insecure-cookies"], stdout=log, stderr=log)
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            _wait(client)
            form = client.get("/login").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', form)
            if token is None:
                raise SystemExit("demo: the login page has no form token")
            client.post("/login", data={"username": "demo", "password": password,
                                        "csrf_token": token[1], "next": "/"})
            for name, path in (("dashboard", "/"), ("strategy", "/strategy")):
                page = client.get(path)
                if page.status_code != 200:
                    raise SystemExit(f"demo: {path} answered {page.status_code}: "
                                     f"{page.text[:300]}")
                (out / f"web-{name}.html").write_text(page.text, encoding="utf-8")
                print(f"{path}: {_title(page.text)} ({len(page.text) // 1024} KB) "
                      f"-> {out / f'web-{name}.html'}")
            review = client.get("/api/strategy").json().get("review") or {}
            print("/api/strategy: " + ", ".join(
                f"{len(review.get(key) or [])} {key}"
                for key in ("targets", "duplicates", "gaps", "coverage")))
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    print(f"to browse it yourself: {ENDVAC} serve {workspace}  (login in {login_file})")
    return 0


def _wait(client: httpx.Client) -> None:
    for _ in range(120):
        try:
            if client.get("/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise SystemExit("demo: endvac serve did not answer within 60 s (see serve.log)")


def _title(html: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL)
    return re.sub(r"<[^>]+>|\s+", " ", found[1]).strip() if found else "(no heading)"


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
