/// The web page `GET /ui` serves: plain HTML, with its script (`WebPage+Script.swift`) and style
/// sheet (`WebPage+Style.swift`) as separate files so the Content-Security-Policy can forbid inline
/// code. No build step and no external assets: what is here is what the browser runs.
///
/// Links are relative ("ui/app.js", and "v1/ab" in the script), so the page also works behind a
/// proxy that serves the API under a path prefix.
enum WebPage {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>rag · compare answers</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="ui/app.css">
        <script src="ui/app.js" defer></script>
        </head>
        <body data-state="loading">
        <svg class="sprites" aria-hidden="true">
          <symbol id="thumb" viewBox="0 0 24 24">
            <path d="M3.5 10.5H7V21H3.5Z"/>
            <path d="M7 11L10.8 3.8C12.2 3.6 13.4 4.7 13.2 6.2L12.6 10H18.3C19.6 10 20.5 11.1 20.3 12.3L19.1 19.3
              C18.9 20.3 18.1 21 17.1 21H7Z"/>
          </symbol>
        </svg>
        <header class="topbar">
          <div class="brand">
            <span class="logo">rag</span>
            <span class="product">Answer comparison</span>
          </div>
          <div class="server" id="server-info">Connecting…</div>
          <form class="key" id="key-form" autocomplete="off">
            <label for="api-key">API key</label>
            <input id="api-key" type="password" spellcheck="false" placeholder="only if the server needs one">
            <label class="remember" title="Keep the key in this browser's local storage">
              <input id="remember-key" type="checkbox"> remember
            </label>
          </form>
        </header>

        <main>
          <section class="card ask" aria-labelledby="ask-title">
            <h1 id="ask-title">Ask the manuals</h1>
            <p class="hint">The base model and the adapter you choose answer the same question from the same
              passages with the same seed. Rate each answer: the ratings feed the A/B statistics below.</p>
            <form id="ask-form">
              <label class="field-label" for="question">Question</label>
              <textarea id="question" rows="2" maxlength="4000" required
                placeholder="How long does the battery last?"></textarea>
              <div class="controls">
                <label>Adapter
                  <select id="adapter" required><option value="">loading…</option></select>
                </label>
                <label>Max tokens
                  <input id="max-tokens" type="number" min="1" max="4096" step="1" value="128">
                </label>
                <label>Passages
                  <input id="passages" type="number" min="1" max="20" step="1" value="4">
                </label>
                <button type="submit" id="ask-button" class="primary" disabled>Compare answers</button>
              </div>
            </form>
            <p id="message" class="message" role="status" aria-live="polite" hidden></p>
          </section>

          <section id="results" class="results" aria-label="Answers" hidden>
            <div class="columns">
              <article class="card answer" id="answer-base" data-arm="base"></article>
              <article class="card answer" id="answer-adapter" data-arm="adapter"></article>
            </div>
            <details class="card passages" id="passages-block">
              <summary>Retrieved passages <span class="count" id="passage-count"></span></summary>
              <ol id="passage-list"></ol>
            </details>
          </section>

          <section class="card stats" aria-labelledby="stats-title">
            <div class="section-head">
              <h2 id="stats-title">A/B statistics</h2>
              <span class="split" id="split-info"></span>
              <button type="button" id="refresh-stats" class="quiet">Refresh</button>
            </div>
            <div id="stats"><p class="muted">Loading…</p></div>
          </section>
        </main>

        <template id="answer-template">
          <header class="answer-head">
            <span class="arm-tag"></span>
            <span class="model-name"></span>
            <span class="flags"></span>
          </header>
          <p class="answer-text"></p>
          <p class="legend" hidden><mark class="unsupported">Highlighted</mark> sentences are not supported by the
            passages they cite.</p>
          <dl class="timings"></dl>
          <section class="sources">
            <h3>Sources</h3>
            <ol class="source-list"></ol>
          </section>
          <footer class="feedback">
            <span class="feedback-label">Was this answer helpful?</span>
            <button type="button" class="vote up" data-rating="up" aria-label="Thumbs up" title="Thumbs up">
              <svg viewBox="0 0 24 24" aria-hidden="true"><use href="#thumb"/></svg>
            </button>
            <button type="button" class="vote down" data-rating="down" aria-label="Thumbs down" title="Thumbs down">
              <svg viewBox="0 0 24 24" aria-hidden="true"><use href="#thumb"/></svg>
            </button>
            <span class="feedback-note" role="status"></span>
          </footer>
          <form class="follow-up" hidden>
            <span class="feedback-label">Did it solve your problem?</span>
            <button type="button" class="resolve" data-resolved="true" aria-pressed="false">Solved</button>
            <button type="button" class="resolve" data-resolved="false" aria-pressed="false">Not solved</button>
            <textarea class="comment" rows="2" maxlength="4000" aria-label="Comment (optional)"
              placeholder="Anything to add? (optional)"></textarea>
            <button type="submit" class="send">Send</button>
            <span class="follow-up-note" role="status"></span>
          </form>
        </template>
        </body>
        </html>

        """#
}
