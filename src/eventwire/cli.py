"""The command line: a thin skin over ``eventwire.api`` and the evaluators.

Errors the user can act on print one line, ``eventwire: error: ...``, and exit
non-zero; there is no traceback unless ``EVENTWIRE_DEBUG=1``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer

from .errors import EventwireError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="eventwire: news text to PLOVER 2.0 event data, with attribution, modality and evidence.",
)
eval_app = typer.Typer(no_args_is_help=True, help="Measure eventwire on labelled data.")
app.add_typer(eval_app, name="eval")

FormatOpt = typer.Option("jsonl", "--format", "-f", help="jsonl (PLOVER JSON, one event a line) or table.")


def _emit(events, fmt: str) -> None:
    from .stages import output

    if fmt == "table":
        typer.echo(output.render_table(events))
    elif fmt == "jsonl":
        output.write_jsonl(events, sys.stdout)
    else:
        raise typer.BadParameter(f"unknown format {fmt!r}; use jsonl or table")


@app.command()
def code(
    file: str = typer.Argument(..., help="A UTF-8 text file, or - for standard input."),
    published: Optional[str] = typer.Option(None, help="Publication date YYYY-MM-DD (resolves 'Wednesday', 'in January')."),
    outlet: Optional[str] = typer.Option(None, help="Outlet name: the outermost link of every attribution chain."),
    fmt: str = FormatOpt,
    config: Optional[Path] = typer.Option(None, "--config", help="TOML settings file (table [eventwire])."),
) -> None:
    """Code the events of one article.

    Example: eventwire code story.txt --published 2024-03-06 --format table
    """
    from .api import code_file
    from .config import load_config

    events = code_file(file, published=published, outlet=outlet, config=load_config(config))
    _emit(events, fmt)


@app.command()
def demo(fmt: str = typer.Option("table", "--format", "-f", help="table or jsonl.")) -> None:
    """Code the built-in sample of wire-style articles and print their events.

    Example: eventwire demo
    """
    from .api import code_document
    from .samples import load_samples

    for art in load_samples():
        doc = code_document(art)
        if fmt == "table":
            typer.echo(f"\n== {art.title}  ({art.outlet}, {art.published})")
        _emit(doc.events, fmt)


@eval_app.command("gold")
def eval_gold(
    path: Path = typer.Argument(..., help="Folder with article.txt, meta.json and gold.jsonl."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Score coded events against an article's gold events.

    Example: eventwire eval gold ../shared/examples/iran-venezuela --json
    """
    from .api import code_document
    from .evaluate import gold
    from .stages.output import to_plover

    article, golds = gold.load_gold(path)
    predicted = [to_plover(e) for e in code_document(article).events]
    result = gold.score(golds, predicted)
    if as_json:
        typer.echo(json.dumps({k: v for k, v in result.items() if k != "details"}))
    else:
        for k, v in result.items():
            if k != "details":
                typer.echo(f"{k:12} {v}")


def main() -> None:
    """Entry point: run the app, turning eventwire errors into one-line messages."""
    try:
        app(standalone_mode=False)
    except EventwireError as e:
        typer.echo(f"eventwire: error: {e}", err=True)
        raise SystemExit(e.exit_code) from None
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("eventwire: aborted", err=True)
        raise SystemExit(130) from None
    except Exception as e:  # click usage errors and the unexpected
        import click

        if isinstance(e, click.exceptions.ClickException):
            e.show()
            raise SystemExit(e.exit_code) from None
        if isinstance(e, click.exceptions.Exit):
            raise SystemExit(e.exit_code) from None
        if os.environ.get("EVENTWIRE_DEBUG"):
            raise
        typer.echo(f"eventwire: internal error: {e.__class__.__name__}: {e} (set EVENTWIRE_DEBUG=1 for details; please report it)", err=True)
        raise SystemExit(70) from None
