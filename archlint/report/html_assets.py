"""The HTML report's inline style and script: no file, font or library is fetched."""

STYLE = """
:root{--fg:#1d2433;--muted:#667085;--line:#e4e7ec;--bg:#f7f8fa;--card:#fff;--error:#d92d20;--warning:#dc6803;
--info:#1570ef;--ok:#079455;--edge:#7a5af8;--cloud:#1570ef;--ai:#dd2590;--grid:#0e9384;--unknown:#98a2b3}
*{box-sizing:border-box}body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:var(--fg);background:var(--bg)}header,section,footer{max-width:1280px;margin:0 auto;padding:20px 28px}
header{padding-top:32px}h1{margin:0 0 4px;font-size:28px}h2{font-size:20px;margin:8px 0 14px;padding-top:8px;
border-top:1px solid var(--line)}h3{font-size:15px;margin:18px 0 8px}code{font:12px ui-monospace,Menlo,Consolas,
monospace;background:#eef0f3;padding:1px 4px;border-radius:4px;word-break:break-all}.muted{color:var(--muted)}
nav{display:flex;gap:18px;margin-top:16px}nav a{color:var(--info);text-decoration:none;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin-top:18px}
.card{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--unknown);border-radius:8px;
padding:12px 14px}.card .figure{font-size:22px;font-weight:700}.card .label{color:var(--muted);font-size:12px}
.card.error{border-left-color:var(--error)}.card.warning{border-left-color:var(--warning)}
.card.info{border-left-color:var(--info)}.card.ok{border-left-color:var(--ok)}
table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:8px;
margin:6px 0 12px}th,td{text-align:left;vertical-align:top;padding:7px 10px;border-bottom:1px solid var(--line)}
td code{white-space:normal;overflow-wrap:anywhere;word-break:normal}th{font-size:12px;color:var(--muted);font-weight:600;background:#fafbfc}td.num{text-align:right;white-space:nowrap}
.pill{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;
background:var(--unknown)}.pill.error{background:var(--error)}.pill.warning{background:var(--warning)}
.pill.info{background:var(--info)}details.concern{background:var(--card);border:1px solid var(--line);
border-radius:8px;margin:8px 0;padding:8px 12px}details summary{cursor:pointer}.fix{color:var(--muted);
margin-top:3px}.legend{display:flex;flex-wrap:wrap;gap:14px;align-items:center;margin-bottom:8px}
.legend span{display:inline-flex;align-items:center;gap:6px}.dot{width:10px;height:10px;border-radius:50%;
display:inline-block}.dot.error{background:var(--error)}.dot.warning{background:var(--warning)}
.dot.info{background:var(--info)}.tools{display:flex;gap:6px;margin-bottom:8px}.tools input{flex:0 1 280px;
padding:5px 8px;border:1px solid var(--line);border-radius:6px}.tools button{border:1px solid var(--line);
background:var(--card);border-radius:6px;padding:4px 10px;cursor:pointer}
.canvas{overflow:auto;max-height:78vh;background:var(--card);border:1px solid var(--line);border-radius:8px}
.diagram{display:block}.lane rect{fill:#fbfcfd;stroke:var(--line)}.lane text{font-weight:700;font-size:13px;
fill:var(--muted)}.lane-edge rect{fill:#f7f5ff}.lane-ai rect{fill:#fff5fa}.lane-grid rect{fill:#f2fbfa}
.lane-cloud rect{fill:#f5f9ff}.edge{fill:none;stroke:#8b94a7;stroke-width:1.4;opacity:.75}
.edge.async{stroke-dasharray:6 4}marker path{fill:#8b94a7}.edge.hot{stroke:var(--fg);stroke-width:2.4;opacity:1}
.node rect{fill:#fff;stroke:#98a2b3;stroke-width:1.2}.node.store rect{fill:#fffdf5;stroke:#b54708}
.node text.name{font-weight:650;font-size:13px;fill:var(--fg)}.node text.kind{font-size:11px;fill:var(--muted)}
.node{cursor:default}.node:hover rect,.node.match rect{stroke:var(--info);stroke-width:2.4}
.diagram.filtering .node:not(.match){opacity:.25}.badge circle{fill:var(--unknown)}.badge.error circle{fill:var(--error)}
.badge.warning circle{fill:var(--warning)}.badge.info circle{fill:var(--info)}.badge text{fill:#fff;font-size:11px;
font-weight:700;text-anchor:middle}table.placement tr.differs td{background:#fffaeb}tr.detail td{padding-top:0}
.scores{display:grid;grid-template-columns:repeat(4,1fr);gap:10px;margin:8px 0}.score{display:grid;
grid-template-columns:auto 1fr auto;gap:6px;align-items:center;font-size:12px}.bar{height:8px;background:#eef0f3;
border-radius:4px;min-width:60px}.bar span{display:block;height:100%;background:var(--info);border-radius:4px}
table.criteria td:nth-child(3){width:120px}.total{font-size:18px}.columns{display:grid;
grid-template-columns:2fr 1fr;gap:20px}.budget{background:var(--card);border:1px solid var(--line);border-radius:8px;
padding:10px 12px;margin:8px 0}.budget-head{display:flex;justify-content:space-between;gap:12px}
.track{position:relative;height:12px;background:#eef0f3;border-radius:6px;margin:8px 0 4px}.track span{display:block;
height:100%;border-radius:6px;background:var(--ok)}.budget.over .track span{background:var(--error)}
.track i{position:absolute;top:-4px;bottom:-4px;width:2px;background:var(--fg)}.steps{display:grid;
grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:10px}.step{background:var(--card);
border:1px solid var(--line);border-top:4px solid var(--unknown);border-radius:8px;padding:10px 12px}
.step.done{border-top-color:var(--ok)}.step.progress{border-top-color:var(--warning)}.step.todo{border-top-color:var(--error)}
.step h3{margin:6px 0;font-size:14px}.step ul{padding-left:0;list-style:none;margin:0;font-size:12px}
.step li{margin:4px 0}.step li.met{color:var(--ok)}.step li.unmet{color:var(--fg)}.step li.na{color:var(--muted)}
.step-head{display:flex;justify-content:space-between}.step .n{font-weight:800;font-size:18px}
.step .status{font-size:12px;color:var(--muted)}.next{background:#eff8ff;border:1px solid #b2ddff;border-radius:8px;
padding:10px 14px;margin:10px 0}.note-ok{color:var(--ok)}.note-warning{color:var(--warning)}footer{color:var(--muted);
font-size:12px;padding-bottom:40px}.systems{margin:0 0 8px}.systems select{max-width:100%;padding:4px 6px;
border:1px solid var(--line);border-radius:6px}.canvas h3{margin:8px 12px}[hidden]{display:none!important}@media print{.tools,nav{display:none}.canvas{max-height:none;overflow:visible}}
"""

SCRIPT = """
(function () {
  var svgs = Array.prototype.slice.call(document.querySelectorAll('svg.diagram'));
  if (!svgs.length) { return; }
  var scale = 1;
  function visible() {
    return svgs.filter(function (s) { return !s.parentNode.hidden; })[0] || svgs[0];
  }
  svgs.forEach(function (svg) {
    var edges = Array.prototype.slice.call(svg.querySelectorAll('.edge'));
    Array.prototype.forEach.call(svg.querySelectorAll('.node'), function (n) {
      function hot(on) {
        var id = n.getAttribute('data-id');
        edges.forEach(function (e) {
          if (e.getAttribute('data-s') === id || e.getAttribute('data-t') === id) { e.classList.toggle('hot', on); }
        });
      }
      n.addEventListener('mouseenter', function () { hot(true); });
      n.addEventListener('mouseleave', function () { hot(false); });
    });
  });
  var picker = document.getElementById('system');
  if (picker) {
    picker.addEventListener('change', function () {
      Array.prototype.forEach.call(document.querySelectorAll('[data-diagram]'), function (c) {
        c.hidden = c.getAttribute('data-diagram') !== picker.value;
      });
      scale = 1;
    });
  }
  var filter = document.getElementById('filter');
  if (filter) {
    filter.addEventListener('input', function () {
      var term = filter.value.trim().toLowerCase();
      svgs.forEach(function (svg) {
        svg.classList.toggle('filtering', term.length > 0);
        Array.prototype.forEach.call(svg.querySelectorAll('.node'), function (n) {
          n.classList.toggle('match', term.length > 0 && n.getAttribute('data-name').indexOf(term) >= 0);
        });
      });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-zoom]'), function (button) {
    button.addEventListener('click', function () {
      var svg = visible();
      var width = parseFloat(svg.getAttribute('viewBox').split(' ')[2]);
      var height = parseFloat(svg.getAttribute('viewBox').split(' ')[3]);
      var factor = parseFloat(button.getAttribute('data-zoom'));
      var box = svg.parentNode.clientWidth / width;
      scale = factor === 0 ? Math.min(1, box) : Math.max(0.1, Math.min(4, scale * factor));
      svg.setAttribute('width', String(width * scale));
      svg.setAttribute('height', String(height * scale));
    });
  });
}());
"""
