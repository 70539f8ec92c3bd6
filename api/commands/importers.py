"""``forewarn import github|confluence|incidentio``: fetch documents from where teams write them, then
ingest them through the same converters as files (ingest.formats), as uploads of one source.

Thin adapters: each command pages through one API with httpx, keeps the fields the converter reads
(so an edit elsewhere on the record, a new reaction or view count, does not count as a change), and
hands the documents to :func:`ingest.loader.ingest_uploads`. Re-running an import leaves unchanged
documents unchanged. Credentials come from the environment only, never from arguments (they would
land in shell history and process lists):

- ``KB_GITHUB_TOKEN``: a GitHub token (optional for public repositories; ``KB_GITHUB_API`` for
  GitHub Enterprise, default https://api.github.com);
- ``KB_CONFLUENCE_URL`` (e.g. https://example.atlassian.net/wiki), ``KB_CONFLUENCE_USER`` and
  ``KB_CONFLUENCE_TOKEN`` (Cloud: e-mail and API token; Server/Data Center: the token alone, a
  personal access token sent as a bearer token);
- ``KB_INCIDENTIO_TOKEN``: an incident.io API key (``KB_INCIDENTIO_API`` to override the host).

``--save DIR`` also writes what was fetched, one file per document, for review or a later
``kb ingest DIR``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from api.cli import _console, app, emit_json, fail, open_kb

if TYPE_CHECKING:
    import httpx

    from ingest.loader import IngestReport, Upload

import_app = typer.Typer(
    help="Fetch postmortems from GitHub, Confluence or incident.io and ingest them.", no_args_is_help=True
)
app.add_typer(import_app, name="import")

# Tests put an httpx.MockTransport here: no command ever reaches the network in the test suite.
TRANSPORT: httpx.BaseTransport | None = None
MAX_PAGES = 200
TIMEOUT_SECONDS = 30.0

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a summary.")]
LimitOption = Annotated[int, typer.Option(min=1, max=100_000, help="At most this many documents.")]
SaveOption = Annotated[
    Path | None, typer.Option("--save", help="Also write the fetched documents to this folder.")
]
SourceOption = Annotated[str | None, typer.Option(help="Name of the ingested source (default: per service).")]


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def _client(base_url: str, headers: dict[str, str], auth: tuple[str, str] | None = None) -> httpx.Client:
    import httpx

    return httpx.Client(
        base_url=base_url,
        headers={"User-Agent": "forewarn-import", **headers},
        auth=auth,
        timeout=TIMEOUT_SECONDS,
        transport=TRANSPORT,
        follow_redirects=False,
    )


def _get(
    client: httpx.Client, url: str, service: str, params: dict[str, Any] | None = None
) -> httpx.Response:
    import httpx

    try:
        response = client.get(url, params=params)
    except httpx.HTTPError as exc:
        fail(f"cannot reach {service}: {exc.__class__.__name__}: {exc}")
    if response.status_code in (401, 403):
        fail(
            f"{service} refused the credentials ({response.status_code}); "
            "check the KB_ variables of the import"
        )
    if response.status_code == 404:
        fail(f"{service} answered 404 for {response.request.url.path}: no such repository, space or endpoint")
    if response.status_code >= 400:
        fail(f"{service} answered {response.status_code} for {response.request.url.path}")
    return response


def _json_of(response: httpx.Response, service: str) -> Any:
    try:
        return response.json()
    except ValueError:
        fail(f"{service} answered something that is not JSON ({response.headers.get('content-type', '?')})")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:80] or "untitled"


def _ingest(uploads: list[Upload], *, source: str, save: Path | None, as_json: bool) -> None:
    from ingest.loader import ingest_uploads

    if save is not None:
        for upload in uploads:
            target = save / upload.path
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(upload.data)
            except OSError as exc:
                fail(f"cannot write {target}: {exc.strerror or exc}")
    kb = open_kb()
    # Fetching took its time already; parsing gets a budget per document, not one HTTP request's.
    report = ingest_uploads(kb, uploads, source=source, timeout=max(600.0, 5.0 * len(uploads)))
    _print(report, fetched=len(uploads), as_json=as_json)


def _print(report: IngestReport, *, fetched: int, as_json: bool) -> None:
    if as_json:
        emit_json({"fetched": fetched, "reports": [report.to_dict()]})
        return
    s = report.summary()
    console = _console()
    console.print(
        f"[bold]{report.source}[/]: {fetched} fetched; {s['added']} added, {s['updated']} updated, "
        f"{s['unchanged']} unchanged, {s['skipped']} skipped, {s['failed']} failed; "
        f"{report.constraints_written} constraints written"
    )
    for outcome in report.files:
        if outcome.status == "failed":
            console.print(f"  [red]failed[/] {outcome.path}: {outcome.error}", highlight=False)


# --- GitHub ---------------------------------------------------------------------------------------

_ISSUE_FIELDS = ("number", "title", "body", "labels", "state", "created_at", "html_url")


def github_issues(
    client: httpx.Client, repo: str, label: str | None, limit: int, comments: bool
) -> Iterator[dict[str, Any]]:
    """The repository's issues (not pull requests) with ``label``, oldest first, comments attached."""
    params: dict[str, Any] | None = {"state": "all", "per_page": 100, "direction": "asc"}
    if label and params is not None:
        params["labels"] = label
    url: str | None = f"/repos/{repo}/issues"
    seen = 0
    for _ in range(MAX_PAGES):
        if url is None:
            return
        response = _get(client, url, "GitHub", params)
        params = None  # the next link carries them (an empty dict would clear its query)
        page = _json_of(response, "GitHub")
        if not isinstance(page, list):
            fail("GitHub answered an unexpected shape for the issue list")
        for issue in page:
            if not isinstance(issue, dict) or "pull_request" in issue:
                continue
            kept = {k: issue.get(k) for k in _ISSUE_FIELDS}
            kept["labels"] = [
                {"name": lab.get("name")} for lab in issue.get("labels") or [] if isinstance(lab, dict)
            ]
            if comments and issue.get("comments") and isinstance(issue.get("comments_url"), str):
                listed = _json_of(_get(client, issue["comments_url"], "GitHub", {"per_page": 100}), "GitHub")
                kept["comments"] = (
                    [
                        {
                            "author": {"login": (c.get("user") or {}).get("login")},
                            "createdAt": c.get("created_at"),
                            "body": c.get("body"),
                        }
                        for c in listed
                        if isinstance(c, dict)
                    ]
                    if isinstance(listed, list)
                    else []
                )
            yield kept
            seen += 1
            if seen >= limit:
                return
        url = response.links.get("next", {}).get("url")


@import_app.command("github")
def import_github(
    repo: Annotated[str, typer.Option(help="owner/name of the repository.")],
    label: Annotated[str | None, typer.Option(help="Only issues with this label (e.g. postmortem).")] = None,
    comments: Annotated[bool, typer.Option(help="Fetch each issue's comments too.")] = True,
    limit: LimitOption = 1000,
    source: SourceOption = None,
    save: SaveOption = None,
    as_json: JsonOption = False,
) -> None:
    """GitHub issues (a postmortem label, say) as documents: title, body, labels, comments."""
    from ingest.loader import Upload

    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo):
        fail(f"--repo must be owner/name, got {repo!r}")
    token = _env("KB_GITHUB_TOKEN")
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    with _client(_env("KB_GITHUB_API") or "https://api.github.com", headers) as client:
        issues = list(github_issues(client, repo, label, limit, comments))
    slug = repo.replace("/", "-")
    uploads = [
        Upload(
            path=f"github/{slug}/issue-{issue['number']}.json",
            data=json.dumps(issue, sort_keys=True, ensure_ascii=False, indent=1).encode(),
        )
        for issue in issues
    ]
    _ingest(uploads, source=source or f"github:{repo}", save=save, as_json=as_json)


# --- Confluence -----------------------------------------------------------------------------------


def confluence_pages(
    client: httpx.Client, space: str, label: str | None, limit: int
) -> Iterator[dict[str, Any]]:
    """Pages of a space with their exported HTML (``body.export_view``), following ``_links.next``."""
    params: dict[str, Any] | None = {
        "spaceKey": space,
        "type": "page",
        "limit": 50,
        "expand": "body.export_view,version,metadata.labels",
    }
    url: str | None = "/rest/api/content"
    seen = 0
    for _ in range(MAX_PAGES):
        if url is None:
            return
        data = _json_of(_get(client, url, "Confluence", params), "Confluence")
        params = None
        for page in data.get("results") or [] if isinstance(data, dict) else []:
            labels = [
                lab.get("name")
                for lab in (((page.get("metadata") or {}).get("labels") or {}).get("results") or [])
            ]
            if label and label not in labels:
                continue
            yield page
            seen += 1
            if seen >= limit:
                return
        nxt = (data.get("_links") or {}).get("next") if isinstance(data, dict) else None
        url = nxt if isinstance(nxt, str) and nxt.startswith("/") else None


def confluence_html(page: dict[str, Any]) -> str:
    """A page as the converter reads a Confluence export: the title in ``#title-text``, then the body."""
    from html import escape

    title = escape(str(page.get("title") or "Untitled"))
    body = str(((page.get("body") or {}).get("export_view") or {}).get("value") or "")
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body>"
        f'<h1 id="title-heading"><span id="title-text">{title}</span></h1>'
        f'<div id="main-content" class="wiki-content">{body}</div></body></html>\n'
    )


@import_app.command("confluence")
def import_confluence(
    space: Annotated[str, typer.Option(help="The space key, e.g. SRE.")],
    label: Annotated[str | None, typer.Option(help="Only pages with this label (e.g. postmortem).")] = None,
    limit: LimitOption = 1000,
    source: SourceOption = None,
    save: SaveOption = None,
    as_json: JsonOption = False,
) -> None:
    """Confluence pages of one space, as their exported HTML (page chrome and macros handled)."""
    from ingest.loader import Upload

    base = _env("KB_CONFLUENCE_URL")
    token = _env("KB_CONFLUENCE_TOKEN")
    if not base or not token:
        fail("set KB_CONFLUENCE_URL and KB_CONFLUENCE_TOKEN (and KB_CONFLUENCE_USER for Confluence Cloud)")
    user = _env("KB_CONFLUENCE_USER")
    headers = {"Accept": "application/json"}
    if not user:
        headers["Authorization"] = f"Bearer {token}"
    with _client(base.rstrip("/"), headers, auth=(user, token) if user else None) as client:
        pages = list(confluence_pages(client, space, label, limit))
    uploads = [
        Upload(
            path=f"confluence/{_slug(space)}/{_slug(str(p.get('title', '')))}-{p.get('id')}.html",
            data=confluence_html(p).encode(),
        )
        for p in pages
    ]
    _ingest(uploads, source=source or f"confluence:{space}", save=save, as_json=as_json)


# --- incident.io ----------------------------------------------------------------------------------

_INCIDENT_FIELDS = (
    "id",
    "reference",
    "name",
    "summary",
    "severity",
    "created_at",
    "postmortem",
    "postmortem_document_url",
    "incident_status",
)


def incidentio_incidents(client: httpx.Client, limit: int) -> Iterator[dict[str, Any]]:
    """Incidents of the v2 API, following ``pagination_meta.after``."""
    params: dict[str, Any] = {"page_size": 50}
    seen = 0
    for _ in range(MAX_PAGES):
        data = _json_of(_get(client, "/v2/incidents", "incident.io", params), "incident.io")
        incidents = data.get("incidents") if isinstance(data, dict) else None
        if not isinstance(incidents, list):
            fail("incident.io answered an unexpected shape for the incident list")
        for incident in incidents:
            if isinstance(incident, dict):
                yield {k: incident[k] for k in _INCIDENT_FIELDS if k in incident}
                seen += 1
                if seen >= limit:
                    return
        after = ((data.get("pagination_meta") or {}).get("after")) if incidents else None
        if not after:
            return
        params = {"page_size": 50, "after": after}


@import_app.command("incidentio")
def import_incidentio(
    limit: LimitOption = 1000,
    source: SourceOption = None,
    save: SaveOption = None,
    as_json: JsonOption = False,
) -> None:
    """incident.io incidents with their summary and, where the API returns it, the postmortem text."""
    from ingest.loader import Upload

    token = _env("KB_INCIDENTIO_TOKEN")
    if not token:
        fail("set KB_INCIDENTIO_TOKEN to an incident.io API key")
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    with _client(_env("KB_INCIDENTIO_API") or "https://api.incident.io", headers) as client:
        incidents = list(incidentio_incidents(client, limit))
    uploads = [
        Upload(
            path=f"incidentio/{_slug(str(i.get('reference') or i.get('id')))}.json",
            data=json.dumps({"incident": i}, sort_keys=True, ensure_ascii=False, indent=1).encode(),
        )
        for i in incidents
    ]
    _ingest(uploads, source=source or "incidentio", save=save, as_json=as_json)
