"""`archlint report`: the Markdown (snapshot) and the self-contained HTML page: escaping, determinism, no network,
a few hundred nodes, and a real headless Chromium that renders it without console errors."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from tests.conftest import REPO, run_cli

DEMO = "examples/demo"


def _report(*args: str) -> bytes:
    done = run_cli("report", *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_markdown_on_the_demo(snapshot):
    text = _report(DEMO, "--format", "markdown", "--title", "Parcelwise").decode()
    assert text == snapshot
    first = text.splitlines()[2]
    assert first.startswith("**16 errors") and "budgets exceeded" in first  # the summary comes first
    assert text.count("<details>") == text.count("</details>") >= 8  # the details are folded


def test_html_is_one_self_contained_deterministic_page(tmp_path):
    out = tmp_path / "report.html"
    done = run_cli("report", DEMO, "--output", str(out))
    assert done.returncode == 0 and b"wrote" in done.stderr
    page = out.read_text()
    assert page == _report(DEMO).decode()  # same input, same bytes
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "nothing may be fetched"
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    for section in ("coverage", "architecture", "findings", "placement", "cost", "roadmap"):
        assert f'<section id="{section}">' in page
    assert page.count('class="node ') == 17 and 'class="edge async"' in page and 'class="edge sync"' in page
    assert 'class="badge error"' in page and "budget over" in page


def test_every_input_string_is_escaped(tmp_path):
    (tmp_path / "graph.yaml").write_text(
        "apiVersion: archlint.dev/v1\nkind: ServiceGraph\nmetadata: {name: t}\nspec:\n  components:\n"
        "    - name: '<script>alert(1)</script>'\n      kind: service\n      user_facing: true\n"
        "      owner: '<img src=x onerror=alert(2)>'\n      dependencies:\n"
        "        - {target: '<b>db</b>', kind: reads, mode: sync}\n"
        "    - {name: '<b>db</b>', kind: datastore}\n")
    for fmt in ("html", "markdown"):
        page = _report(str(tmp_path), "--format", fmt).decode()
        if fmt == "markdown":  # a code span shows its text as it is, markup and all: never rendered
            page = re.sub(r"(`+) .*? \1|(`+)[^`].*?\2", "", page)
        assert "<script>alert(1)" not in page and "<img src=x" not in page and "<b>db</b>" not in page
        # HTML escapes the markup; Markdown backslash-escapes it (CommonMark), which renders as the same text
        assert ("&lt;script&gt;alert(1)&lt;/script&gt;" if fmt == "html" else "\\<script\\>alert(1)\\</script\\>") in page


def _graph(tmp_path, count: int):
    lines = ["apiVersion: archlint.dev/v1", "kind: ServiceGraph", "metadata: {name: big}", "spec:", "  components:"]
    tiers = ("edge", "cloud", "ai", "grid")
    for index in range(count):
        deps = [f"s{(index * 7 + k) % count}" for k in (1, 2) if (index * 7 + k) % count != index]
        lines.append(f"    - name: s{index}")
        lines.append(f"      kind: {'datastore' if index % 9 == 0 else 'service'}")
        lines.append(f"      tier: {tiers[index % 4]}")
        if deps and index % 9:
            lines.append("      dependencies:")
            lines += [f"        - {{target: {d}, mode: {'sync' if k else 'async'}}}" for k, d in enumerate(deps)]
    (tmp_path / "graph.yaml").write_text("\n".join(lines) + "\n")


def test_a_few_hundred_nodes_stay_in_wrapped_columns(tmp_path):
    _graph(tmp_path, 300)
    page = _report(str(tmp_path)).decode()
    assert page.count('class="node ') == 300
    width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', page).groups())
    assert height < 4 * (8 * 60 + 36) + 1 and width < 40_000  # four lanes of at most eight rows each


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and os.environ.get("CI") == "true":
        pytest.fail("CI must test the HTML report in Chromium: .ci/run installs Debian's chromium")
    return found


_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync")
#: Put first in <head>: records uncaught errors and console.error calls in the DOM, where --dump-dom shows them.
_PROBE = ("<script>window.__errors=[];window.addEventListener('error',function(e){window.__errors.push(String("
          "e.message))});var _ce=console.error;console.error=function(){window.__errors.push([].join.call("
          "arguments,' '));_ce.apply(console,arguments)};document.addEventListener('DOMContentLoaded',function()"
          "{setTimeout(function(){var d=document.createElement('pre');d.id='probe';d.textContent='errors:'+"
          "JSON.stringify(window.__errors)+' nodes:'+document.querySelectorAll('.diagram .node').length;"
          "document.body.appendChild(d)},0)})</script>")


def _browse(binary: str, page, *extra: str, profile) -> subprocess.CompletedProcess:
    return subprocess.run([binary, *_FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
                          capture_output=True, timeout=120)


def test_the_html_report_renders_in_headless_chromium(tmp_path):
    binary = _chromium()
    if binary is None:
        pytest.skip("chromium is not installed (CI installs it)")
    page = _report(DEMO).decode()
    probed = tmp_path / "probed.html"
    probed.write_text(page.replace("<head>", "<head>" + _PROBE, 1), encoding="utf-8")
    dom = _browse(binary, probed, "--virtual-time-budget=3000", "--dump-dom", profile=tmp_path / "p1")
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout.decode()
    assert "errors:[]" in html, re.search(r"errors:.*", html).group(0)
    nodes = int(re.search(r"nodes:(\d+)", html).group(1))
    assert nodes == page.count('class="node ')
    for name in ("api", "postgres", "eta-predictor", "tracking-page", "mobile-app"):
        assert f'data-name="{name}"' in html
    shot = tmp_path / "report.png"
    done = _browse(binary, tmp_path / "probed.html", "--window-size=1400,2400", f"--screenshot={shot}",
                   profile=tmp_path / "p2")
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000


def _boxes(svg: str) -> dict[str, tuple[float, float]]:
    return {m.group(1): (float(m.group(2)), float(m.group(3))) for m in re.finditer(
        r'<g class="node [a-z]+" data-id="([^"]+)"[^>]*>.*?<rect x="([\d.]+)" y="([\d.]+)"', svg, re.S)}


def test_nodes_are_ordered_within_their_column_so_that_calls_do_not_cross(tmp_path):
    # Alphabetically x would sit above y, and a -> y, b -> x would cross; the barycentre order puts y by a.
    (tmp_path / "graph.yaml").write_text(
        "apiVersion: archlint.dev/v1\nkind: ServiceGraph\nmetadata: {name: t}\nspec:\n  components:\n"
        "    - {name: a, kind: service, tier: cloud, dependencies: [{target: y, mode: sync}]}\n"
        "    - {name: b, kind: service, tier: cloud, dependencies: [{target: x, mode: sync}]}\n"
        "    - {name: x, kind: service, tier: cloud}\n    - {name: y, kind: service, tier: cloud}\n")
    boxes = _boxes(_report(str(tmp_path)).decode())
    assert boxes["a"][1] < boxes["b"][1] and boxes["y"][1] < boxes["x"][1]
    assert boxes["y"][0] == boxes["x"][0] > boxes["a"][0]


def test_a_hundred_components_cross_less_and_never_overlap(tmp_path):
    from collections import defaultdict

    from archlint.cli import wiring
    from archlint.model import TRAFFIC_EDGES
    from archlint.report import diagram
    from archlint.rules import all_rules

    _graph(tmp_path, 100)
    model = wiring.load(wiring.prepare((str(tmp_path),), None, (), None, None, all_rules()), cached=False).model
    (title, members), = diagram.groups([c for c in model.components()])
    edges = {(d.source, d.target) for d in model.dependencies(TRAFFIC_EDGES) if d.source != d.target}
    layers = diagram._layers([c.id for c in members], edges)
    cells = defaultdict(list)
    for c in sorted(members, key=lambda c: (c.region or "", c.name, c.id)):
        cells[(c.tier, layers[c.id])].append(c)
    naive = diagram.crossings(cells, edges, layers)
    diagram.order(cells, edges, layers)
    assert diagram.crossings(cells, edges, layers) < 0.8 * naive
    boxes = list(_boxes(_report(str(tmp_path)).decode()).values())
    assert len(boxes) == 100 and len(set(boxes)) == 100  # one place each: no two boxes drawn over each other


def _two_systems(tmp_path):
    for system, names in (("shop", ("cart", "checkout")), ("blog", ("web",))):
        (tmp_path / system).mkdir()
        for name in names:
            (tmp_path / system / f"{name}.yaml").write_text(
                f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}}}\nspec:\n  replicas: 1\n"
                f"  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n"
                f"    spec:\n      containers: [{{name: {name}, image: 'acme/{name}:1'}}]\n---\n"
                f"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec:\n  selector: {{app: {name}}}\n")
    return tmp_path


def test_several_systems_are_one_diagram_each_with_a_selector(tmp_path):
    page = _report(str(_two_systems(tmp_path))).decode()
    assert page.count('<option value="') == 2 and '<select id="system">' in page
    assert page.count('class="canvas" data-diagram="') == 2 and page.count(" hidden>") == 1
    assert page.count('class="node ') == 3  # each component drawn once, in its own system
    assert 'blog (1 component' in page and 'shop (2 components' in page


def test_the_system_selector_works_in_headless_chromium(tmp_path):
    binary = _chromium()
    if binary is None:
        pytest.skip("chromium is not installed (CI installs it)")
    (tmp_path / "in").mkdir()
    page = _report(str(_two_systems(tmp_path / "in"))).decode()
    switch = ("<script>document.addEventListener('DOMContentLoaded',function(){setTimeout(function(){"
              "var p=document.getElementById('system');var before=document.querySelector('[data-diagram]:not([hidden])')"
              ".getAttribute('data-diagram');p.value=before==='0'?'1':'0';p.dispatchEvent(new Event('change'));"
              "var after=document.querySelector('[data-diagram]:not([hidden])').getAttribute('data-diagram');"
              "var d=document.createElement('pre');d.id='switch';d.textContent='shown:'+before+' to '+after+' visible:'+"
              "document.querySelectorAll('[data-diagram]:not([hidden])').length;document.body.appendChild(d)},0)})"
              "</script>")
    probed = tmp_path / "probed.html"
    probed.write_text(page.replace("<head>", "<head>" + _PROBE + switch, 1), encoding="utf-8")
    dom = _browse(binary, probed, "--virtual-time-budget=3000", "--dump-dom", profile=tmp_path / "p1")
    html = dom.stdout.decode()
    assert "errors:[]" in html, re.search(r"errors:.*", html).group(0)
    switched = re.search(r"shown:(\d) to (\d) visible:1", html)
    assert switched and switched.group(1) != switched.group(2)


@pytest.mark.skipif(not (REPO.parent / "shared" / "corpus").is_dir(), reason="the shared corpus is not beside the repo")
@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_the_corpus_reports_without_a_crash(tmp_path, fmt):
    out = tmp_path / f"corpus.{fmt}"
    done = run_cli("report", str(REPO.parent / "shared" / "corpus"), "--format", fmt, "--output", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    assert b"Traceback" not in done.stderr
    size = out.stat().st_size
    if fmt == "markdown":
        # Markdown is cut to fit a pull-request comment or a step summary (65,536 characters), saying what it left out.
        assert 30_000 < size <= 65_536 and "Left out to stay within" in out.read_text(encoding="utf-8")
    else:
        assert size > 100_000


def test_the_reports_say_where_prices_come_from():
    """Price sources are out of the one-line messages; the reports (and JSON, and --verbose) carry them."""
    for fmt in ("html", "markdown"):
        page = _report(DEMO, "--format", fmt).decode()
        assert "Price: $0.0316/vCPU-hour: AWS m6i on-demand us-east-1" in page.replace("*Price:*", "Price:")
