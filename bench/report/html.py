"""The report's ``index.html``: the summary tables and every convergence plot."""

import html

import pandas as pd

from bench.report.summary import (best_table, recommendations, run_line, status_line,
                                  timing_table)

STYLE = ("body{font-family:sans-serif;max-width:1150px;margin:2em auto}"
         "table{border-collapse:collapse;font-size:90%}"
         "td,th{border:1px solid #ccc;padding:2px 8px}img{max-width:100%}")


def index_html(name: str, runs: pd.DataFrame, best: pd.DataFrame,
               plot_files: list[str], meta: dict) -> str:
    """Return the HTML page of a sweep's report."""
    items = "".join(f"<li>{html.escape(line).replace('**', '')}</li>"
                    for line in recommendations(runs, best))
    images = "".join(f'<p><img src="{html.escape(file)}" alt="{html.escape(file)}"></p>'
                     for file in plot_files)
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(name)}"
        f"</title><style>{STYLE}</style></head><body>",
        f"<h1>Sweep {html.escape(name)}</h1><p>{html.escape(status_line(runs))} "
        f"{html.escape(run_line(meta))}</p>",
        f"<h2>Which optimizer?</h2><ul>{items}</ul>",
        "<h2>Convergence</h2>", images,
        "<h2>Best final result per dataset, loss and optimizer</h2>",
        best_table(best).to_html(index=False),
        "<h2>Timing</h2>", timing_table(runs).to_html(index=False),
        "</body></html>",
    ]
    return "\n".join(parts)
