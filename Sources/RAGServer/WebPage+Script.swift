extension WebPage {
    /// `GET /ui/app.js`: the page's behaviour, in plain JavaScript.
    ///
    /// Everything the server sends is put into the page as text (`textContent`, `append` of
    /// strings), never parsed as HTML, so an answer or a manual that contains markup shows as markup.
    /// The API key, when the user gives one, is kept in `sessionStorage` (in `localStorage` when
    /// "remember" is ticked) and sent as `Authorization: Bearer` with every request.
    ///
    /// URL parameters fill the form, so a comparison can be linked: `q` (question), `adapter`,
    /// `max_tokens`, `k`; with `auto=1` the question is asked as soon as the page has connected.
    /// `body[data-state]` tells where the page is: loading, ready, asking, answered or error.
    static let script = #"""
        "use strict";
        (() => {
          const KEY_STORAGE = "rag.apiKey";
          const $ = (id) => document.getElementById(id);
          const page = {
            keyForm: $("key-form"), key: $("api-key"), remember: $("remember-key"), server: $("server-info"),
            form: $("ask-form"), question: $("question"), adapter: $("adapter"), maxTokens: $("max-tokens"),
            passages: $("passages"), ask: $("ask-button"), message: $("message"), results: $("results"),
            base: $("answer-base"), adapted: $("answer-adapter"), passageBlock: $("passages-block"),
            passageList: $("passage-list"), passageCount: $("passage-count"), stats: $("stats"),
            split: $("split-info"), refresh: $("refresh-stats"), template: $("answer-template"),
          };
          const params = new URLSearchParams(location.search);
          let baseModel = "the base model";
          let preferredAdapter = params.get("adapter") || "";
          /// Bumped by each connect(), so that an older one still retrying gives up.
          let connection = 0;
          let asking = false;

          // MARK: - Small helpers

          function element(tag, className, text) {
            const node = document.createElement(tag);
            if (className) node.className = className;
            if (text !== undefined && text !== null) node.textContent = String(text);
            return node;
          }

          function setState(state) { document.body.dataset.state = state; }

          function sentence(text) {
            const trimmed = String(text || "").trim();
            return trimmed ? trimmed[0].toUpperCase() + trimmed.slice(1) : trimmed;
          }

          function duration(ms) {
            if (typeof ms !== "number" || !isFinite(ms)) return "—";
            return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
          }

          function percent(rate) {
            return typeof rate === "number" && isFinite(rate) ? `${(rate * 100).toFixed(1)}%` : "—";
          }

          function points(value) {
            const rounded = (value * 100).toFixed(1);
            return value > 0 ? `+${rounded}` : rounded.replace("-", "−");
          }

          function integerField(input, fallback) {
            const value = Number.parseInt(input.value, 10);
            return Number.isFinite(value) && value > 0 ? value : fallback;
          }

          const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

          // MARK: - Messages

          function showMessage(text, kind) {
            page.message.textContent = text;
            page.message.className = `message ${kind || "info"}`;
            page.message.hidden = false;
          }

          function hideMessage() { page.message.hidden = true; }

          // MARK: - The API key

          function readStorage(storage) {
            try { return storage.getItem(KEY_STORAGE); } catch { return null; }
          }

          function writeStorage(storage, value) {
            try {
              if (value) storage.setItem(KEY_STORAGE, value); else storage.removeItem(KEY_STORAGE);
            } catch { /* storage disabled: the key lives in the field only */ }
          }

          function loadKey() {
            const remembered = readStorage(localStorage);
            page.remember.checked = remembered !== null;
            page.key.value = remembered ?? readStorage(sessionStorage) ?? "";
          }

          function saveKey() {
            const key = page.key.value.trim();
            writeStorage(localStorage, page.remember.checked ? key : "");
            writeStorage(sessionStorage, page.remember.checked ? "" : key);
          }

          // MARK: - Calls to the API

          class APIFailure extends Error {
            constructor(message, status) {
              super(message);
              this.status = status;
            }
          }

          const hints = {
            413: "Shorten the question.",
            429: "The model's queue is full: try again in a moment.",
          };

          async function api(path, body) {
            const headers = { Accept: "application/json" };
            const key = page.key.value.trim();
            if (key) headers.Authorization = `Bearer ${key}`;
            const init = { method: body === undefined ? "GET" : "POST", headers, cache: "no-store" };
            if (body !== undefined) {
              headers["Content-Type"] = "application/json";
              init.body = JSON.stringify(body);
            }
            let response;
            try {
              response = await fetch(path, init);
            } catch (error) {
              throw new APIFailure(`Could not reach the server: ${error.message}.`, 0);
            }
            const text = await response.text();
            let payload = null;
            try { payload = text ? JSON.parse(text) : null; } catch { payload = null; }
            if (!response.ok) {
              if (response.status === 401) {
                page.key.classList.add("attention");
                throw new APIFailure(key
                  ? "The server refused this API key (HTTP 401). Check the key in the field at the top."
                  : "This server needs an API key (HTTP 401). Enter it in the field at the top.", 401);
              }
              const detail = payload && payload.error && payload.error.message;
              let message = sentence(detail || text.slice(0, 300) || response.statusText || "request failed");
              message = `${message.replace(/[.]$/, "")} (HTTP ${response.status}).`;
              if (hints[response.status]) message += ` ${hints[response.status]}`;
              throw new APIFailure(message, response.status);
            }
            page.key.classList.remove("attention");
            if (payload === null) throw new APIFailure(`The server answered ${path} with something other than JSON.`, 0);
            return payload;
          }

          // MARK: - Models and adapters

          function fillAdapters(names) {
            const wanted = preferredAdapter || page.adapter.value;
            page.adapter.replaceChildren();
            for (const name of names) page.adapter.append(new Option(name, name));
            if (wanted && !names.includes(wanted)) {
              // Named in the URL but not loaded: the server's answer will say so.
              page.adapter.append(new Option(`${wanted} (not loaded)`, wanted));
            }
            if (!page.adapter.options.length) {
              const none = new Option("no adapter loaded", "");
              none.disabled = true;
              page.adapter.append(none);
            }
            if (wanted) page.adapter.value = wanted;
            page.ask.disabled = !page.adapter.value;
          }

          /// Lists the models, retrying while the server loads them. True once connected.
          async function connect() {
            const attempt = ++connection;
            setState("loading");
            page.server.textContent = "Connecting…";
            for (;;) {
              try {
                const listing = await api("v1/models");
                const models = Array.isArray(listing.data) ? listing.data : [];
                const base = models.find((model) => model.kind === "base");
                baseModel = base ? base.id : baseModel;
                const adapters = models.filter((model) => model.kind === "adapter").map((model) => model.id);
                fillAdapters(adapters);
                page.server.textContent = "";
                page.server.append(element("span", "dot ok"), `Base model ${baseModel}`);
                if (!adapters.length && !preferredAdapter) {
                  showMessage("No adapter is loaded. Start the server with --load NAME (or --ab NAME:PERCENT), " +
                    "or load one with POST /v1/adapters {\"name\": NAME}.", "warn");
                } else {
                  hideMessage();
                }
                setState("ready");
                return true;
              } catch (error) {
                if (error.status === 503) {
                  page.server.textContent = "Loading models…";
                  showMessage(`${error.message} Retrying…`, "info");
                  await sleep(2000);
                  if (attempt !== connection) return false;
                  continue;
                }
                page.server.textContent = "";
                page.server.append(element("span", "dot bad"), error.status === 401 ? "API key needed" : "Not connected");
                showMessage(error.message, "error");
                page.stats.replaceChildren(element("p", "muted", "Available once the page can reach the API."));
                page.ask.disabled = true;
                if (error.status === 401) page.key.focus();
                setState("error");
                return false;
              }
            }
          }

          // MARK: - Asking

          async function ask(event) {
            if (event) event.preventDefault();
            if (asking) return;
            const question = page.question.value.trim();
            const adapter = page.adapter.value;
            if (!question) { showMessage("Type a question first.", "error"); page.question.focus(); return; }
            if (!adapter) { showMessage("Choose an adapter to compare with the base model.", "error"); return; }
            const body = {
              question, adapter, max_tokens: integerField(page.maxTokens, 128), k: integerField(page.passages, 4),
            };
            asking = true;
            page.ask.disabled = true;
            page.form.setAttribute("aria-busy", "true");
            setState("asking");
            const started = Date.now();
            const progress = () => {
              const seconds = Math.round((Date.now() - started) / 1000);
              showMessage(`Answering with ${baseModel} and with ${adapter}, one after the other… ${seconds} s`, "info");
            };
            progress();
            const timer = setInterval(progress, 1000);
            try {
              const result = await api("v1/ab", body);
              clearInterval(timer);
              hideMessage();
              showResults(result);
              await loadStats();
              setState("answered");
            } catch (error) {
              clearInterval(timer);
              showMessage(error.message, "error");
              setState("error");
            } finally {
              asking = false;
              page.ask.disabled = !page.adapter.value;
              page.form.removeAttribute("aria-busy");
            }
          }

          function showResults(result) {
            const arms = Array.isArray(result.arms) ? result.arms : [];
            const base = arms.find((arm) => arm.arm === "base");
            const adapted = arms.find((arm) => arm.arm !== "base");
            if (!base || !adapted) throw new APIFailure("The server's comparison lacks an answer.", 0);
            renderAnswer(page.base, base);
            renderAnswer(page.adapted, adapted);
            renderPassages(base.passages || []);
            page.results.hidden = false;
          }

          function renderAnswer(article, arm) {
            article.replaceChildren(page.template.content.cloneNode(true));
            const part = (selector) => article.querySelector(selector);
            const isBase = arm.arm === "base";
            article.dataset.answerId = arm.id;
            part(".arm-tag").textContent = isBase ? "Base model" : "Adapter";
            part(".model-name").textContent = arm.model;
            const flags = part(".flags");
            if (arm.covered === false) flags.append(element("span", "flag warn", "not covered by the manuals"));
            if (arm.finish_reason === "length") flags.append(element("span", "flag", "cut at max tokens"));

            const unsupported = Array.isArray(arm.unsupported_sentences) ? arm.unsupported_sentences : [];
            renderAnswerText(part(".answer-text"), arm.answer || "", unsupported);
            part(".legend").hidden = !part(".answer-text mark");

            const timings = arm.timings || {};
            const usage = arm.usage || {};
            const facts = [
              ["Total", duration(timings.total_ms)],
              ["First token", duration(timings.time_to_first_token_ms)],
              ["Retrieval", duration(timings.retrieval_ms)],
              ["Tokens", `${usage.completion_tokens ?? "—"} out · ${usage.prompt_tokens ?? "—"} in`],
            ];
            const list = part(".timings");
            for (const [name, value] of facts) {
              const item = element("div");
              item.append(element("dt", null, name), element("dd", null, value));
              list.append(item);
            }

            const sources = part(".source-list");
            const citations = Array.isArray(arm.citations) ? arm.citations : [];
            for (const citation of citations) {
              const item = element("li");
              item.append(element("span", "num", `[${citation.number}]`), element("span", "source", citation.source));
              if (citation.heading) item.append(element("span", "heading", citation.heading));
              if (citation.inferred) {
                const tag = element("span", "flag", "inferred");
                tag.title = "The answer has no marker for it; the support check matched a sentence to it";
                item.append(tag);
              }
              sources.append(item);
            }
            if (!citations.length) sources.append(element("li", "empty", "No passage cited."));

            const footer = part(".feedback");
            const followUp = part(".follow-up");
            for (const button of footer.querySelectorAll("button.vote")) {
              button.addEventListener("click", () => vote(arm.id, button.dataset.rating, footer, followUp));
            }
            for (const button of followUp.querySelectorAll("button.resolve")) {
              button.addEventListener("click", () => {
                for (const other of followUp.querySelectorAll("button.resolve")) {
                  other.setAttribute("aria-pressed", String(other === button && other.getAttribute("aria-pressed") !== "true"));
                }
              });
            }
            followUp.addEventListener("submit", (event) => {
              event.preventDefault();
              sendFollowUp(arm.id, footer.dataset.rating, followUp);
            });
          }

          /// The answer as text: unsupported sentences in <mark>, citation markers styled.
          function renderAnswerText(node, text, unsupported) {
            if (!text.trim()) {
              node.append(element("span", "muted", "(empty answer)"));
              return;
            }
            const ranges = [];
            for (const candidate of unsupported) {
              const needle = String(candidate).trim();
              if (!needle) continue;
              for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
                ranges.push([at, at + needle.length]);
              }
            }
            ranges.sort((a, b) => a[0] - b[0]);
            let cursor = 0;
            for (const [start, end] of ranges) {
              if (start < cursor) continue;
              appendWithMarkers(node, text.slice(cursor, start));
              const mark = element("mark", "unsupported");
              mark.title = "Not supported by the passages it cites";
              appendWithMarkers(mark, text.slice(start, end));
              node.append(mark);
              cursor = end;
            }
            appendWithMarkers(node, text.slice(cursor));
          }

          function appendWithMarkers(parent, text) {
            const marker = /\[(\d{1,3})\]/g;
            let last = 0;
            for (let match = marker.exec(text); match; match = marker.exec(text)) {
              parent.append(text.slice(last, match.index), element("span", "cite", match[0]));
              last = match.index + match[0].length;
            }
            parent.append(text.slice(last));
          }

          function renderPassages(passages) {
            page.passageList.replaceChildren();
            page.passageCount.textContent = `(${passages.length})`;
            for (const passage of passages) {
              const item = element("li");
              const head = element("div", "passage-head");
              head.append(element("span", "num", `[${passage.number}]`), element("span", "source", passage.source));
              if (passage.heading) head.append(element("span", "heading", passage.heading));
              if (typeof passage.score === "number") head.append(element("span", "score", `score ${passage.score.toFixed(3)}`));
              item.append(head, element("p", "passage-text", passage.text));
              page.passageList.append(item);
            }
            page.passageBlock.hidden = !passages.length;
          }

          // MARK: - Feedback

          /// After a vote: whether the answer solved the problem, and a comment, both optional. The
          /// feedback is sent again whole; the server counts an answer's latest feedback.
          async function sendFollowUp(answerId, rating, form) {
            const note = form.querySelector(".follow-up-note");
            const send = form.querySelector("button.send");
            const pressed = form.querySelector("button.resolve[aria-pressed=true]");
            const comment = form.querySelector(".comment").value.trim();
            const body = { answer_id: answerId, rating };
            if (pressed) body.resolved = pressed.dataset.resolved === "true";
            if (comment) body.comment = comment;
            if (!pressed && !comment) {
              note.className = "follow-up-note error";
              note.textContent = "Choose solved or not solved, or write a comment.";
              return;
            }
            send.disabled = true;
            note.className = "follow-up-note";
            note.textContent = "Saving…";
            try {
              await api("v1/feedback", body);
              note.textContent = "Recorded" + (pressed ? (body.resolved ? ": solved" : ": not solved") : "") +
                (comment ? ", with your comment." : ".");
              await loadStats();
            } catch (error) {
              send.disabled = false;
              note.className = "follow-up-note error";
              note.textContent = error.message;
            }
          }

          async function vote(answerId, rating, footer, followUp) {
            const buttons = [...footer.querySelectorAll("button.vote")];
            const note = footer.querySelector(".feedback-note");
            for (const button of buttons) button.disabled = true;
            note.className = "feedback-note";
            note.textContent = "Saving…";
            try {
              await api("v1/feedback", { answer_id: answerId, rating });
              footer.querySelector(`button.vote.${rating}`).setAttribute("aria-pressed", "true");
              footer.classList.add("voted");
              footer.dataset.rating = rating;
              followUp.hidden = false;
              note.textContent = rating === "up" ? "Recorded: helpful." : "Recorded: not helpful.";
              await loadStats();
            } catch (error) {
              for (const button of buttons) button.disabled = false;
              note.className = "feedback-note error";
              note.textContent = error.message;
            }
          }

          // MARK: - A/B statistics

          async function loadStats() {
            page.refresh.disabled = true;
            try {
              renderStats(await api("v1/ab/stats"));
            } catch (error) {
              page.stats.replaceChildren(element("p", "message error", error.message));
            } finally {
              page.refresh.disabled = false;
              document.body.dataset.stats = String(Number(document.body.dataset.stats || 0) + 1);
            }
          }

          function renderStats(stats) {
            if (stats.split) {
              const colon = stats.split.lastIndexOf(":");
              const name = stats.split.slice(0, colon);
              const share = Number(stats.split.slice(colon + 1));
              page.split.textContent = `Live split: ${name} answers ${share}% of users`;
              // The adapter under test is the natural one to compare, unless the user chose another.
              if (!preferredAdapter && [...page.adapter.options].some((option) => option.value === name)) {
                page.adapter.value = name;
              }
            } else {
              page.split.textContent = "No live split";
              page.split.title = "Start the server with --ab NAME:PERCENT to route a share of users to an adapter";
            }
            const arms = Array.isArray(stats.arms) ? stats.arms : [];
            if (!arms.length) {
              page.stats.replaceChildren(element("p", "muted", "No answers logged yet."));
              return;
            }
            const table = element("table", "stats-table");
            const head = table.createTHead().insertRow();
            const columns = [
              "Arm", "Answers", "Rated", "Thumbs up", "Resolved", "Median latency", "Turns", "Quoting a passage",
            ];
            for (const name of columns) head.append(element("th", null, name));
            const body = table.createTBody();
            for (const arm of arms) {
              const row = body.insertRow();
              row.dataset.arm = arm.arm;
              const cells = [
                arm.arm, arm.answers, arm.rated, percent(arm.thumbs_up_rate), percent(arm.resolution_rate),
                duration(arm.median_latency_ms),
                typeof arm.mean_turns === "number" ? arm.mean_turns.toFixed(1) : "—",
                typeof arm.quoting_passage === "number" ? arm.quoting_passage : "—",
              ];
              for (const value of cells) row.append(element("td", null, value));
            }
            const comparisons = element("ul", "comparisons");
            for (const comparison of Array.isArray(stats.comparisons) ? stats.comparisons : []) {
              const item = element("li");
              item.append(element("strong", null, `${comparison.arm} vs ${comparison.against}`));
              const test = comparison.thumbs_up;
              if (test) {
                item.append(
                  `: thumbs-up rate ${points(test.difference)} points ` +
                  `(95% interval ${points(test.lower)} to ${points(test.upper)}), p = ${test.p_value.toFixed(3)} `);
                const verdicts = { better: "better", worse: "worse", indistinguishable: "no clear difference yet" };
                item.append(element("span", `verdict ${test.verdict}`, verdicts[test.verdict] || test.verdict));
              } else {
                item.append(`: ${comparison.note || "no test yet"}`);
              }
              comparisons.append(item);
            }
            page.stats.replaceChildren(table);
            if (comparisons.children.length) page.stats.append(comparisons);
          }

          // MARK: - Start

          async function start() {
            loadKey();
            page.question.value = params.get("q") || "";
            if (params.get("max_tokens")) page.maxTokens.value = params.get("max_tokens");
            if (params.get("k")) page.passages.value = params.get("k");
            page.form.addEventListener("submit", ask);
            page.question.addEventListener("keydown", (event) => {
              if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) ask(event);
            });
            page.adapter.addEventListener("change", () => {
              preferredAdapter = page.adapter.value;
              page.ask.disabled = !page.adapter.value;
            });
            page.refresh.addEventListener("click", loadStats);
            const rekey = async (event) => {
              if (event) event.preventDefault();
              saveKey();
              if (await connect()) await loadStats();
            };
            page.keyForm.addEventListener("submit", rekey);
            page.key.addEventListener("change", rekey);
            page.remember.addEventListener("change", saveKey);

            if (!(await connect())) return;
            await loadStats();
            if (params.get("auto") === "1" && page.question.value.trim()) {
              // Asked once: a reload of the page should not ask again.
              params.delete("auto");
              history.replaceState(null, "", `${location.pathname}?${params}`);
              await ask();
            }
          }

          start();
        })();

        """#
}
