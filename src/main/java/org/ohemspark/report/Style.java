package org.ohemspark.report;

/** The report's inline CSS and its one inline script (sorting tables by a header click). */
final class Style {
  private Style() {}

  static final String CSS = """
      :root{--ink:#1f2933;--muted:#61707d;--line:#e3e8ee;--bg:#f6f8fa;--card:#fff;
      --accent:#2563eb;--kept:#db2777;--thresh:#ea580c;--kth:#7c3aed}
      *{box-sizing:border-box}
      body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",
      sans-serif;color:var(--ink);background:var(--bg)}
      header{background:#111827;color:#f9fafb;padding:20px 32px 12px}
      header h1{margin:0;font-size:24px;font-weight:650;letter-spacing:.2px}
      header .input{margin:4px 0 10px;color:#cbd5e1;font-family:ui-monospace,"DejaVu Sans Mono",
      monospace;font-size:13px;word-break:break-all}
      nav a{color:#e5e7eb;text-decoration:none;margin-right:18px;font-size:14px}
      nav a:hover{text-decoration:underline}
      main{max-width:1200px;margin:0 auto;padding:8px 24px 24px}
      section{background:var(--card);border:1px solid var(--line);border-radius:10px;
      padding:18px 22px;margin:18px 0}
      h2{margin:0 0 8px;font-size:19px}
      h3{margin:16px 0 8px;font-size:15px}
      .lead{color:var(--muted);margin:0 0 12px}
      .note{color:var(--muted);font-size:13px}
      .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
      .card{border:1px solid var(--line);border-radius:8px;padding:10px 12px;background:#fbfcfd}
      .card-value{font-size:20px;font-weight:650;font-variant-numeric:tabular-nums;
      word-break:break-all}
      .card-label{color:var(--muted);font-size:12.5px}
      .status-OK .card-value{color:#15803d}
      .status-EMPTY .card-value{color:#b91c1c}
      table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:14px}
      dl.kv{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));
      gap:4px 24px;margin:0}
      dl.kv div{display:flex;gap:12px;border-bottom:1px solid #f0f2f5;padding:3px 0}
      dl.kv dt{color:var(--muted);min-width:150px}
      dl.kv dd{margin:0;font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:13px;
      word-break:break-all}
      .table-box{overflow-x:auto}
      table.data{width:100%}
      table.data th{position:sticky;top:0;background:#f1f4f8;text-align:left;padding:6px 10px;
      border-bottom:2px solid var(--line);cursor:pointer;white-space:nowrap;font-weight:600}
      table.data th.num,table.data td.num{text-align:right}
      table.data th.sorted-asc::after{content:" \\25B2";font-size:10px}
      table.data th.sorted-desc::after{content:" \\25BC";font-size:10px}
      table.data td{padding:5px 10px;border-bottom:1px solid var(--line);white-space:nowrap}
      table.data tbody tr:hover{background:#f8fafc}
      .swatch{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:7px;
      vertical-align:-1px;border:1px solid rgba(0,0,0,.15)}
      .tag{font-size:11px;color:var(--muted);border:1px solid var(--line);border-radius:4px;
      padding:0 4px;margin-left:6px}
      td.share{position:relative;min-width:120px}
      .share-bar{position:absolute;left:0;top:6px;bottom:6px;background:#fce7f3;z-index:0}
      .share-text{position:relative;z-index:1}
      .chart-box{overflow-x:auto}
      svg.chart{width:100%;height:auto;display:block;font-size:12px}
      svg .grid{stroke:#eef1f5;stroke-width:1}
      svg .axis{stroke:#9aa5b1;stroke-width:1}
      svg .tick{fill:var(--muted)}
      svg .axis-title,svg .legend{fill:var(--ink);font-size:12.5px}
      svg .class-label{fill:var(--ink);font-size:13px}
      svg .value{fill:var(--muted);font-size:11px}
      svg rect.bar{fill:var(--accent)}
      svg rect.bar:hover{fill:#1d4ed8}
      svg .bar-kept,svg .key-kept{fill:var(--kept)}
      svg .bar-iou,svg .key-iou{fill:var(--accent)}
      svg .mark-thresh,svg .key-mark-thresh{stroke:var(--thresh);stroke-width:2;
      stroke-dasharray:5 3}
      svg .mark-kth,svg .key-mark-kth{stroke:var(--kth);stroke-width:2}
      svg .mark-thresh-label{fill:var(--thresh);font-weight:600}
      svg .mark-kth-label{fill:var(--kth);font-weight:600}
      .thresh-key{color:var(--thresh);font-weight:600}
      .kth-key{color:var(--kth);font-weight:600}
      .kept-key{color:#ff1fce;font-weight:700}
      .legend-row{display:flex;flex-wrap:wrap;gap:6px 16px;margin:0 0 14px;font-size:13px}
      .worst-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));
      gap:14px}
      .worst-card{border:1px solid var(--line);border-radius:8px;padding:10px 12px;
      background:#fbfcfd}
      .worst-card h3{margin:0 0 8px;font-size:14px;font-family:ui-monospace,"DejaVu Sans Mono",
      monospace;word-break:break-all}
      .rank{display:inline-block;background:#111827;color:#fff;border-radius:5px;
      padding:0 6px;margin-right:4px;font-family:system-ui,sans-serif}
      .thumbs{display:grid;grid-template-columns:repeat(3,1fr);gap:6px}
      figure{margin:0}
      figure img{width:100%;height:auto;display:block;border-radius:4px;
      image-rendering:pixelated;background:#000}
      figcaption{font-size:11.5px;color:var(--muted);text-align:center;margin-top:2px}
      dl.figs{display:grid;grid-template-columns:repeat(3,1fr);gap:2px 12px;margin:8px 0 0;
      font-size:13px}
      dl.figs dt{color:var(--muted);font-size:11.5px}
      dl.figs dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}
      footer{color:var(--muted);font-size:12px;text-align:center;padding:4px 0 24px}
      """;

  /**
   * Sorts a {@code table.sortable} by the clicked column, on each cell's {@code data-sort}
   * (numbers as numbers, an empty value last), toggling the direction.
   */
  static final String SORT_SCRIPT = """
      document.querySelectorAll('table.sortable').forEach(function (t) {
        t.querySelectorAll('th').forEach(function (th, col) {
          th.addEventListener('click', function () {
            var desc = !th.classList.contains('sorted-desc');
            t.querySelectorAll('th').forEach(function (h) {
              h.classList.remove('sorted-asc', 'sorted-desc');
            });
            th.classList.add(desc ? 'sorted-desc' : 'sorted-asc');
            var body = t.tBodies[0];
            var rows = Array.prototype.slice.call(body.rows);
            function key(r) {
              var v = r.cells[col].getAttribute('data-sort');
              return v === null || v === '' ? null : (isNaN(+v) ? v : +v);
            }
            rows.sort(function (a, b) {
              var x = key(a), y = key(b);
              if (x === null) { return y === null ? 0 : 1; }
              if (y === null) { return -1; }
              var c = x < y ? -1 : x > y ? 1 : 0;
              return desc ? -c : c;
            });
            rows.forEach(function (r) { body.appendChild(r); });
          });
        });
      });
      """;
}
