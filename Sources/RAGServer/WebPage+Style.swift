extension WebPage {
    /// `GET /ui/app.css`: the page's look. System fonts only, light and dark schemes, two columns
    /// that stack on a narrow screen.
    static let style = #"""
        :root {
          color-scheme: light dark;
          --bg: #f4f5f7;
          --surface: #ffffff;
          --border: #dfe2e7;
          --text: #1d2330;
          --muted: #5f6877;
          --accent: #3b5bdb;
          --accent-soft: #e8edff;
          --on-accent: #ffffff;
          --base: #495366;
          --base-soft: #eceef2;
          --good: #2b8a3e;
          --good-soft: #e6f4ea;
          --bad: #c92a2a;
          --bad-soft: #fdecec;
          --warn-soft: #fff4d6;
          --mark: #ffe08a;
          --radius: 10px;
          --shadow: 0 1px 2px rgba(16, 24, 40, 0.05);
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif;
          font-size: 15px;
          line-height: 1.5;
          color: var(--text);
          background: var(--bg);
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #14171c;
            --surface: #1c2027;
            --border: #2e343e;
            --text: #e4e7ec;
            --muted: #9aa3b2;
            --accent: #8ea2ff;
            --accent-soft: #262f52;
            --on-accent: #10162b;
            --base: #b6bfcd;
            --base-soft: #2a2f38;
            --good: #69db7c;
            --good-soft: #1f3526;
            --bad: #ff8787;
            --bad-soft: #3d2224;
            --warn-soft: #3a3220;
            --mark: #6b5412;
          }
        }
        * { box-sizing: border-box; }
        body { margin: 0; }
        [hidden] { display: none !important; }
        .sprites { display: none; }
        h1, h2, h3 { margin: 0; line-height: 1.25; }
        h1 { font-size: 1.25rem; }
        h2 { font-size: 1.05rem; }
        h3 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
        .muted { color: var(--muted); }

        .topbar {
          display: flex; align-items: center; gap: 1.5rem; flex-wrap: wrap;
          padding: 0.7rem 1.5rem; background: var(--surface); border-bottom: 1px solid var(--border);
        }
        .brand { display: flex; align-items: baseline; gap: 0.6rem; }
        .logo {
          font-weight: 700; font-size: 1.05rem; color: var(--on-accent); background: var(--accent);
          padding: 0.05rem 0.5rem; border-radius: 6px; letter-spacing: 0.02em;
        }
        .product { font-weight: 600; }
        .server { color: var(--muted); font-size: 0.9rem; display: flex; align-items: center; gap: 0.4rem; }
        .dot { width: 0.55rem; height: 0.55rem; border-radius: 50%; display: inline-block; }
        .dot.ok { background: var(--good); }
        .dot.bad { background: var(--bad); }
        .key { margin-left: auto; display: flex; align-items: center; gap: 0.5rem; font-size: 0.9rem; }
        .key input[type=password] { width: 14rem; }
        .key input.attention { border-color: var(--bad); box-shadow: 0 0 0 3px var(--bad-soft); }
        .remember { display: flex; align-items: center; gap: 0.25rem; color: var(--muted); }

        main { max-width: 1240px; margin: 0 auto; padding: 1.25rem 1.5rem 3rem; display: grid; gap: 1.25rem; }
        .card {
          background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius);
          box-shadow: var(--shadow); padding: 1.1rem 1.25rem;
        }
        .hint { margin: 0.35rem 0 1rem; color: var(--muted); max-width: 60rem; }

        input, select, textarea, button { font: inherit; color: inherit; }
        input, select, textarea {
          background: var(--surface); border: 1px solid var(--border); border-radius: 7px; padding: 0.45rem 0.6rem;
        }
        input:focus, select:focus, textarea:focus, button:focus-visible {
          outline: 2px solid var(--accent); outline-offset: 1px;
        }
        textarea { width: 100%; resize: vertical; min-height: 3.2rem; }
        .field-label { display: block; font-weight: 600; margin-bottom: 0.35rem; }
        .controls { display: flex; align-items: flex-end; gap: 1rem; flex-wrap: wrap; margin-top: 0.75rem; }
        .controls label { display: grid; gap: 0.25rem; font-size: 0.85rem; color: var(--muted); }
        .controls select { min-width: 14rem; color: var(--text); }
        .controls input[type=number] { width: 7rem; color: var(--text); }
        button {
          cursor: pointer; border-radius: 7px; border: 1px solid var(--border); background: var(--surface);
          padding: 0.45rem 0.9rem;
        }
        button:disabled { cursor: default; opacity: 0.55; }
        button.primary {
          margin-left: auto; background: var(--accent); border-color: var(--accent); color: var(--on-accent); font-weight: 600;
          padding: 0.5rem 1.2rem;
        }
        button.quiet { border-color: transparent; color: var(--accent); padding: 0.25rem 0.6rem; }
        button.quiet:hover:not(:disabled) { background: var(--accent-soft); }

        .message { margin: 1rem 0 0; padding: 0.6rem 0.8rem; border-radius: 7px; border: 1px solid transparent; }
        .message.info { background: var(--accent-soft); }
        .message.warn { background: var(--warn-soft); }
        .message.error { background: var(--bad-soft); border-color: var(--bad); color: var(--bad); }

        .results { display: grid; gap: 1.25rem; }
        .columns { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 1.25rem; }
        @media (max-width: 820px) { .columns { grid-template-columns: 1fr; } .key { margin-left: 0; } }

        .answer { display: flex; flex-direction: column; gap: 0.9rem; border-top: 4px solid var(--base); }
        .answer[data-arm=adapter] { border-top-color: var(--accent); }
        .answer-head { display: flex; align-items: center; gap: 0.6rem; flex-wrap: wrap; }
        .arm-tag {
          font-size: 0.75rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.05em;
          padding: 0.15rem 0.5rem; border-radius: 999px; background: var(--base-soft); color: var(--base);
        }
        .answer[data-arm=adapter] .arm-tag { background: var(--accent-soft); color: var(--accent); }
        .model-name { font-weight: 600; overflow-wrap: anywhere; }
        .flags { display: flex; gap: 0.35rem; margin-left: auto; }
        .flag {
          font-size: 0.75rem; padding: 0.1rem 0.45rem; border-radius: 999px; background: var(--base-soft);
          color: var(--muted); white-space: nowrap;
        }
        .flag.warn { background: var(--warn-soft); color: var(--text); }
        .answer-text { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 1rem; }
        mark.unsupported {
          background: var(--mark); color: inherit; border-radius: 3px; padding: 0 0.1rem;
          text-decoration: underline dotted var(--bad); text-underline-offset: 3px;
        }
        .cite { color: var(--accent); font-weight: 600; font-size: 0.85em; }
        .legend { margin: -0.4rem 0 0; font-size: 0.85rem; color: var(--muted); }

        .timings {
          display: flex; flex-wrap: wrap; gap: 0.4rem 1.5rem; margin: 0; padding: 0.6rem 0.8rem;
          background: var(--bg); border-radius: 7px; font-size: 0.85rem;
        }
        .timings div { display: flex; gap: 0.4rem; }
        .timings dt { color: var(--muted); }
        .timings dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }

        .sources { display: grid; gap: 0.4rem; }
        .source-list, #passage-list { margin: 0; padding: 0; list-style: none; display: grid; gap: 0.35rem; }
        .source-list li, .passage-head {
          display: grid; grid-template-columns: 2rem minmax(0, 1fr) auto; column-gap: 0.4rem; align-items: baseline;
          font-size: 0.9rem;
        }
        .source-list li.empty { display: block; color: var(--muted); }
        .num { grid-row: span 2; color: var(--accent); font-weight: 700; font-variant-numeric: tabular-nums; }
        .source {
          font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace;
          font-size: 0.85rem; overflow-wrap: anywhere;
        }
        .heading { grid-column: 2 / 4; color: var(--muted); font-size: 0.85rem; }
        .source-list .flag, .score { grid-column: 3; grid-row: 1; justify-self: end; }
        .score { color: var(--muted); font-size: 0.8rem; font-variant-numeric: tabular-nums; }

        .feedback {
          display: flex; align-items: center; gap: 0.5rem; margin-top: auto; padding-top: 0.8rem;
          border-top: 1px solid var(--border); font-size: 0.9rem;
        }
        .feedback-label { color: var(--muted); margin-right: 0.25rem; }
        .vote { display: inline-flex; align-items: center; justify-content: center; width: 2.4rem; height: 2.1rem;
          padding: 0; color: var(--muted); }
        .vote svg { width: 1.15rem; height: 1.15rem; fill: none; stroke: currentColor; stroke-width: 1.7;
          stroke-linejoin: round; stroke-linecap: round; }
        .vote.down svg { transform: rotate(180deg); }
        .vote.up:hover:not(:disabled), .vote.up[aria-pressed=true] {
          color: var(--good); border-color: var(--good); background: var(--good-soft); }
        .vote.down:hover:not(:disabled), .vote.down[aria-pressed=true] {
          color: var(--bad); border-color: var(--bad); background: var(--bad-soft); }
        .vote[aria-pressed=true] { opacity: 1; }
        .vote[aria-pressed=true] svg { fill: currentColor; fill-opacity: 0.18; }
        .feedback-note { color: var(--muted); }
        .feedback-note.error, .follow-up-note.error { color: var(--bad); }
        .follow-up { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; padding-top: 0.6rem;
          font-size: 0.9rem; }
        .follow-up .comment { flex-basis: 100%; }
        .resolve[aria-pressed=true] { color: var(--good); border-color: var(--good); background: var(--good-soft); }
        .resolve[data-resolved=false][aria-pressed=true] {
          color: var(--bad); border-color: var(--bad); background: var(--bad-soft); }
        .follow-up-note { color: var(--muted); }

        .passages summary { cursor: pointer; font-weight: 600; }
        .passages .count { color: var(--muted); font-weight: 400; }
        #passage-list { margin-top: 0.9rem; gap: 0.9rem; }
        .passage-text {
          margin: 0.3rem 0 0; white-space: pre-wrap; font-size: 0.9rem; color: var(--muted);
          border-left: 3px solid var(--border); padding-left: 0.75rem;
        }

        .section-head { display: flex; align-items: center; gap: 1rem; margin-bottom: 0.8rem; }
        .split { color: var(--muted); font-size: 0.9rem; }
        .section-head button { margin-left: auto; }
        .stats-table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
        .stats-table th {
          text-align: right; font-size: 0.8rem; color: var(--muted); font-weight: 600;
          border-bottom: 1px solid var(--border); padding: 0.4rem 0.6rem;
        }
        .stats-table td { text-align: right; padding: 0.45rem 0.6rem; border-bottom: 1px solid var(--border); }
        .stats-table th:first-child, .stats-table td:first-child { text-align: left; font-weight: 600; }
        .stats-table tbody tr:last-child td { border-bottom: none; }
        .comparisons { margin: 0.9rem 0 0; padding: 0; list-style: none; font-size: 0.9rem; }
        .verdict { padding: 0.1rem 0.45rem; border-radius: 999px; font-size: 0.8rem; background: var(--base-soft); }
        .verdict.better { background: var(--good-soft); color: var(--good); }
        .verdict.worse { background: var(--bad-soft); color: var(--bad); }

        """#
}
