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

#: help texts are plain text: "[eventwire]", "[train]", "[start,end]" are meant literally, not
#: as Rich markup (which would swallow them)
MARKUP = None

app = typer.Typer(
    rich_markup_mode=MARKUP,
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="eventwire: news text to PLOVER 2.0 event data, with attribution, modality and evidence.",
)
eval_app = typer.Typer(rich_markup_mode=MARKUP, no_args_is_help=True, help="Measure eventwire on labelled data.")
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
    memory: Optional[Path] = typer.Option(None, "--memory", help="Actor memory file: learn people's codes, reuse them."),
) -> None:
    """Code the events of one article.

    \b
    Example: eventwire code story.txt --published 2024-03-06 --format table
    """
    from .api import code_file
    from .config import load_config

    cfg = load_config(config, actor_memory=str(memory) if memory else None)
    events = code_file(file, published=published, outlet=outlet, config=cfg)
    _emit(events, fmt)


@app.command()
def demo(fmt: str = typer.Option("table", "--format", "-f", help="table or jsonl.")) -> None:
    """Code the built-in sample of wire-style articles and print their events.

    \b
    Example: eventwire demo
    """
    from .api import code_document
    from .samples import load_samples

    for art in load_samples():
        doc = code_document(art)
        if fmt == "table":
            typer.echo(f"\n== {art.title}  ({art.outlet}, {art.published})")
        _emit(doc.events, fmt)


@app.command()
def info(config: Optional[Path] = typer.Option(None, "--config", help="TOML settings file (table [eventwire]).")) -> None:
    """Print the settings and model versions a run would record, as JSON.

    \b
    Example: eventwire info
    """
    from .config import load_config
    from .pipeline import get_pipeline

    typer.echo(json.dumps(get_pipeline(load_config(config)).run_info(), indent=2))


@app.command()
def run(
    sources: list[str] = typer.Argument(..., help="Text files or folders, JSONL, HTML, RSS/Atom feeds (files or URLs), WARC files."),
    store: Path = typer.Option(..., "--store", help="Store folder (created when missing)."),
    workers: int = typer.Option(1, "--workers", help="Worker processes (a local Dask cluster when > 1)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786."),
    batch_size: int = typer.Option(16, "--batch-size", help="Articles per batch (one Parquet file each)."),
    no_progress: bool = typer.Option(False, "--no-progress", help="No progress bar."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Allow feed URLs on private or loopback addresses."),
    config: Optional[Path] = typer.Option(None, "--config", help="TOML settings file (table [eventwire])."),
) -> None:
    """Code a corpus into a store (Parquet + DuckDB); rerun to resume after a crash.

    \b
    Example: eventwire run news/ feeds.xml --store store/ --workers 2
    """
    from dataclasses import asdict

    from .config import load_config
    from .runner import run as run_corpus

    summary = run_corpus(
        sources, store, workers, scheduler, not no_progress,
        config=load_config(config), batch_size=batch_size, allow_private=allow_private,
    )
    typer.echo(json.dumps({k: str(v) if isinstance(v, Path) else v for k, v in asdict(summary).items()}))


@app.command()
def bench(
    dir: Path = typer.Argument(..., help="A folder of articles (e.g. ../shared/corpora/bbc-news/politics)."),
    workers: int = typer.Option(1, "--workers", help="Worker processes."),
    fast: bool = typer.Option(False, "--fast", help="The fast coder (no learned classifier)."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Only the first N articles."),
    repeat: int = typer.Option(1, "--repeat", help="Time each mode N times, keep the fastest."),
    batch_size: int = typer.Option(8, "--batch", help="Articles per task and per spaCy batch."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Throughput against spaCy's own parse, worker speed-up, peak memory.

    \b
    Example: eventwire bench ../shared/corpora/bbc-news/politics --workers 2 --json
    """
    from .bench import bench as run_bench

    _print_result(run_bench(dir, workers=workers, fast=fast, limit=limit, repeat=repeat, batch_size=batch_size),
                  as_json)


@app.command()
def query(
    store: Path = typer.Option(..., "--store", help="A store made by `eventwire run`."),
    actor: Optional[str] = typer.Option(None, help="Actor code (KEN) or name text."),
    recipient: Optional[str] = typer.Option(None, help="Recipient code or name text."),
    country: Optional[str] = typer.Option(None, help="Country code on either side."),
    sector: Optional[str] = typer.Option(None, help="Sector code on either side."),
    type: Optional[str] = typer.Option(None, "--type", help="PLOVER event type."),
    quad: Optional[int] = typer.Option(None, help="Quad class 1-4."),
    date_from: Optional[str] = typer.Option(None, "--from", help="Earliest event date YYYY-MM-DD."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Latest event date YYYY-MM-DD."),
    modality: Optional[str] = typer.Option(None, help="asserted, reported, claimed, denied, negated, hypothetical, future, historical."),
    attributed_to: Optional[str] = typer.Option(None, "--attributed-to", help="Text of a speaker in the attribution chain."),
    outlet: Optional[str] = typer.Option(None, help="Outlet name."),
    context: Optional[str] = typer.Option(None, help="PLOVER context(s), comma separated: military, election, economic ..."),
    sql: Optional[str] = typer.Option(None, "--sql", help="One read-only SELECT over the views events, articles, quarantine, duplicates, runs."),
    limit: Optional[int] = typer.Option(None, help="At most N rows."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl (PLOVER), gdelt, icews, csv or parquet (see docs/exports.md)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (needed for parquet)."),
) -> None:
    """Filter a store's events or run SQL over it, and export them.

    \b
    Example: eventwire query --store store/ --country IRN --type ASSAULT --format icews -o iran.tsv
    """
    from .query import query_cli

    filters = dict(actor=actor, recipient=recipient, country=country, sector=sector, type=type, quad=quad,
                   date_from=date_from, date_to=date_to, modality=modality, attributed_to=attributed_to, outlet=outlet,
                   context=context)
    query_cli(store, fmt=fmt, output=output, sql=sql, limit=limit, **{k: v for k, v in filters.items() if v is not None})


@app.command()
def train(
    data: Path = typer.Argument(..., help="JSONL of labelled dyads: text, source [start,end], target [start,end] or null, label."),
    out: Path = typer.Option(..., "--out", help="Folder for the new model (dyad.onnx, tokenizer.json, labels.json)."),
    epochs: float = typer.Option(2.0, "--epochs", help="Passes over the data."),
    seed: int = typer.Option(13, "--seed", help="Random seed."),
) -> None:
    """Fine-tune the dyad classifier on your own labelled data (needs: pip install -e '.[train]').

    \b
    Example: eventwire train my_dyads.jsonl --out models/mine --epochs 2
    """
    try:
        from .learn.train import train as train_model
    except ImportError as e:
        from .errors import ModelError

        raise ModelError(f"training needs the train extra ({e.name} is missing): pip install -e '.[train]'") from None
    typer.echo(str(train_model(data, out, epochs=epochs, seed=seed)))


@app.command()
def serve(
    store: Path = typer.Option(..., "--store", help="A store made by `eventwire run`."),
    port: int = typer.Option(8000, "--port", help="TCP port."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    token: Optional[str] = typer.Option(None, "--token", envvar="EVENTWIRE_TOKEN", help="Token for write endpoints (none: read-only)."),
) -> None:
    """Serve the HTTP API (/api, OpenAPI at /docs) and the web app (/).

    \b
    Example: eventwire serve --store store/ --port 8000
    """
    from .server import serve as serve_app

    serve_app(store, host, port, token)


actors_app = typer.Typer(rich_markup_mode=MARKUP, no_args_is_help=True, help="Look into actor coding.")
app.add_typer(actors_app, name="actors")


@actors_app.command("explain")
def actors_explain(
    name: str = typer.Argument(..., help="A name or phrase, e.g. \"Turkey's elite Special Forces\"."),
    text: Optional[str] = typer.Option(None, "--text", help="Code the phrase where it occurs in this article (FILE or -)."),
    published: Optional[str] = typer.Option(None, help="Publication date YYYY-MM-DD (dated leader lists)."),
) -> None:
    """Show how a mention is coded (country, sector) and why.

    \b
    Example: eventwire actors explain "Admiral Jane Holt" --text story.txt
    """
    from .api import _as_date, code_document
    from .config import load_config
    from .pipeline import get_pipeline
    from .stages import read

    pipe = get_pipeline(load_config())
    if text is None:
        actor = pipe.actors.code_phrase(name)
        if actor is None:
            typer.echo(f"{name!r}: not coded as an actor (no country, sector or known name)")
            raise typer.Exit(1)
        typer.echo("\n".join(pipe.actors.explain(actor)))
        return
    article = read.read_path(text, pipe.config, published=_as_date(published))
    document = code_document(article, pipe.config)
    needle = name.lower()
    hits = [a for a in document.mentions.values() if needle in a.entity_text.lower() or needle in (a.canonical or "").lower()]
    if not hits:
        typer.echo(f"{name!r}: no coded mention in {text}")
        raise typer.Exit(1)
    for actor in sorted(hits, key=lambda a: a.start):
        typer.echo(f"[{actor.start}:{actor.end}] " + "\n  ".join(pipe.actors.explain(actor)))


memory_app = typer.Typer(rich_markup_mode=MARKUP, no_args_is_help=True, help="Review and correct the actor memory.")
actors_app.add_typer(memory_app, name="memory")
MemoryOpt = typer.Option(..., "--memory", help="The actor memory JSON file.")


@memory_app.command("list")
def memory_list(memory: Path = MemoryOpt, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List what the memory knows: name, code, sector, status, and the words that taught it.

    \b
    Example: eventwire actors memory list --memory actors.json
    """
    from .knowledge.memory import ActorMemory

    rows = ActorMemory(memory).as_rows()
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for r in rows:
        label = " ".join(x for x in (r["code"] or "---", r["sector"] or "") if x)
        typer.echo(f"{r['name']:30} {label:8} {r['status']:9} seen {r['seen']}  {r['article_id']}: {r['evidence'][:70]}")


@memory_app.command("set")
def memory_set(
    name: str = typer.Argument(..., help="The person's full name."),
    code: Optional[str] = typer.Option(None, "--code", help="Country code (ISO alpha-3 or PLOVER extra)."),
    sector: Optional[str] = typer.Option(None, "--sector", help="PLOVER sector code."),
    note: str = typer.Option("", "--note", help="Why (kept as the evidence)."),
    memory: Path = MemoryOpt,
) -> None:
    """Correct or confirm a person's code; it then wins over what later texts suggest.

    \b
    Example: eventwire actors memory set "Jane Holt" --code USA --sector MIL --memory actors.json
    """
    from .knowledge.memory import ActorMemory

    mem = ActorMemory(memory)
    entry = mem.set(name, code, sector, note)
    mem.save()
    typer.echo(f"{entry.name}: {entry.label} ({entry.status})")


@memory_app.command("forget")
def memory_forget(name: str = typer.Argument(..., help="The person's full name."), memory: Path = MemoryOpt) -> None:
    """Remove a person from the memory.

    \b
    Example: eventwire actors memory forget "Jane Holt" --memory actors.json
    """
    from .knowledge.memory import ActorMemory

    mem = ActorMemory(memory)
    if not mem.forget(name):
        typer.echo(f"{name!r} is not in {memory}")
        raise typer.Exit(1)
    mem.save()
    typer.echo(f"forgot {name}")


@eval_app.command("gold")
def eval_gold(
    path: Path = typer.Argument(..., help="Folder with article.txt, meta.json and gold.jsonl."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Score coded events against an article's gold events.

    \b
    Example: eventwire eval gold ../shared/examples/iran-venezuela --json
    """
    from .api import code_document
    from .evaluate import gold
    from .stages.output import to_plover

    article, golds = gold.load_gold(path)
    predicted = [to_plover(e) for e in code_document(article).events]
    _print_result(gold.score(golds, predicted), as_json)


def _print_result(result: dict, as_json: bool, hide: tuple[str, ...] = ("details",)) -> None:
    """An evaluation's result: one JSON object, or one line per key; ``hide`` keys left out."""
    shown = {k: v for k, v in result.items() if k not in hide}
    if as_json:
        typer.echo(json.dumps(shown))
        return
    for k, v in shown.items():
        if isinstance(v, (dict, list)):
            typer.echo(f"{k}:")
            typer.echo(json.dumps(v, indent=2))
        else:
            typer.echo(f"{k:24} {v}")


@eval_app.command("plv")
def eval_plv(
    file: Path = typer.Argument(..., help="A PLV-format .tsv (marked_sentence with <s>…</s> <t>…</t>, gold_root)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    limit: Optional[int] = typer.Option(None, help="Score only the first N rows."),
    no_e2e: bool = typer.Option(False, "--no-e2e", help="Skip the end-to-end (bare sentence) scores."),
    fast: bool = typer.Option(False, "--fast", help="Score the pattern coder instead of the learned model."),
) -> None:
    """Event typing with the dyad given (accuracy, macro_f1) and end to end (e2e_recall).

    \b
    Example: eventwire eval plv ../shared/eval/plv/PLV_train.tsv --json
    """
    from .evaluate.plv import evaluate_plv

    _print_result(evaluate_plv(file, limit=limit, e2e=not no_e2e, fast=fast), as_json)


@eval_app.command("dyads")
def eval_dyads(
    file: Path = typer.Argument(..., help="JSONL of labelled dyads (the `eventwire train` format): text, source, target or null, label."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    limit: Optional[int] = typer.Option(None, help="Score only the first N dyads."),
    fast: bool = typer.Option(False, "--fast", help="Score the pattern coder instead of the learned model."),
) -> None:
    """Event typing with the dyad given on your own labelled dyads (accuracy, macro_f1; NONE is a class).

    \b
    Example: eventwire eval dyads src/eventwire/data/training/dyad_written.jsonl --json
    """
    from .evaluate.dyads import evaluate_dyads

    _print_result(evaluate_dyads(file, fast=fast, limit=limit), as_json)


@eval_app.command("actors")
def eval_actors(
    file: Path = typer.Argument(..., help="PLOVER gold records (JSON), e.g. PLOVER_GSR_CAMEO.json."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Country and sector accuracy of actor coding on PLOVER gold records.

    \b
    Example: eventwire eval actors ../shared/eval/plover-gsr/PLOVER_GSR_CAMEO.json --json
    """
    from .evaluate.actors import evaluate_actors

    _print_result(evaluate_actors(file), as_json)


@eval_app.command("geo")
def eval_geo(
    file: Path = typer.Argument(..., help="Event-location JSONL (sentence, VERB span, LOCATION span)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    limit: Optional[int] = typer.Option(None, help="Score only the first N records."),
) -> None:
    """Choosing the event's location span for a given event verb.

    \b
    Example: eventwire eval geo ../shared/eval/event-location/labeled_text.dev.jsonl --json
    """
    from .evaluate.geo import evaluate_geo

    _print_result(evaluate_geo(file, limit=limit), as_json)


@eval_app.command("attribution")
def eval_attribution(
    path: Path = typer.Argument(..., help="PolNeAR-format folder with text/ and attributions/ (.ann)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    limit: Optional[int] = typer.Option(None, help="Score only the first N documents."),
) -> None:
    """Token-level F1 of attribution sources, cues and contents.

    \b
    Example: eventwire eval attribution ../shared/eval/polnear/dev --json
    """
    from .evaluate.attribution import evaluate_attribution

    _print_result(evaluate_attribution(path, limit=limit), as_json)


@app.command()
def classify(
    text: str = typer.Argument(..., help="A sentence with the source in <s>…</s> and the target in <t>…</t>."),
    fast: bool = typer.Option(False, "--fast", help="Lexicon patterns only, no learned model."),
) -> None:
    """The event type between a marked source and target (or NONE).

    \b
    Example: eventwire classify "<s>Ghana</s> imposed sanctions on <t>Mali</t>."
    """
    from .classify import DyadClassifier
    from .config import load_config
    from .evaluate.plv import unmark

    try:
        plain, src, tgt = unmark(text)
    except ValueError:
        raise typer.BadParameter("mark the source as <s>…</s> (and the target as <t>…</t>)") from None
    res = DyadClassifier(load_config(fast=fast or None))(plain, src, tgt)
    typer.echo(json.dumps({"type": res.type or "NONE", "how": res.how, "trigger": res.trigger, "probability": res.probability}))


def main() -> None:
    """Entry point: run the app, turning eventwire errors into one-line messages."""
    try:
        rc = app(standalone_mode=False)  # returns the code of typer.Exit instead of exiting
        if isinstance(rc, int) and rc:
            raise SystemExit(rc)
    except EventwireError as e:
        typer.echo(f"eventwire: error: {e}", err=True)
        raise SystemExit(e.exit_code) from None
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("eventwire: aborted", err=True)
        raise SystemExit(130) from None
    except Exception as e:  # click usage errors and the unexpected
        # typer vendors its own copy of click, so its classes are matched by name (which also
        # matches click's own)
        kinds = {c.__name__ for c in type(e).__mro__}
        if "ClickException" in kinds:
            e.show()  # type: ignore[attr-defined]  # usage, a missing option: one message, exit 2
            raise SystemExit(e.exit_code) from None  # type: ignore[attr-defined]
        if "Exit" in kinds:
            raise SystemExit(getattr(e, "exit_code", 0)) from None
        if os.environ.get("EVENTWIRE_DEBUG"):
            raise
        typer.echo(f"eventwire: internal error: {e.__class__.__name__}: {e} (set EVENTWIRE_DEBUG=1 for details; please report it)", err=True)
        raise SystemExit(70) from None
