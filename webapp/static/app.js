// Enhancements only: every page works without this file (forms post, pages reload).
(function () {
  "use strict";
  var d = document;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock(s) {
    var h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), x = s % 60;
    return (h ? h + ":" + pad(m) : m) + ":" + pad(x);
  }
  function longClock(s, day) {
    var days = Math.floor(s / 86400);
    return (days ? days + " " + day + " " : "") + clock(s % 86400);
  }

  // Round countdowns on the landing page.
  var cds = d.querySelectorAll(".countdown[data-until]");
  if (cds.length) {
    var tickRounds = function () {
      var now = Date.now() / 1000;
      for (var i = 0; i < cds.length; i++) {
        var left = Math.max(0, Math.round(+cds[i].getAttribute("data-until") - now));
        cds[i].textContent = cds[i].getAttribute("data-label") + " " + longClock(left, cds[i].getAttribute("data-day"));
      }
    };
    tickRounds();
    setInterval(tickRounds, 1000);
  }

  // Exam: countdown to the server's deadline, autosave, progress.
  var form = d.getElementById("exam");
  if (form) {
    var timer = d.getElementById("timer");
    var state = d.getElementById("save-state");
    var answered = d.getElementById("answered");
    var label = d.querySelector(".progress-label");
    var prediction = form.querySelector("input[name=prediction]");
    var problem = d.getElementById("prediction-error");
    var total = form.querySelectorAll("fieldset.question:not(.prediction)").length;
    // The server sends seconds left by its own clock; counting from page load keeps the
    // countdown right even when the phone's clock is wrong.
    var deadline = Date.now() + 1000 * +timer.getAttribute("data-seconds-left");
    var resultURL = form.getAttribute("action").replace(/\/submit$/, "/result");
    var saveURL = form.getAttribute("data-save");

    // Autosave. Changes wait in pending while a request is in flight or a retry is due.
    // What the server could not serve (network error, 429, 5xx) is retried, after its
    // Retry-After when it sends one; what it refused (any other 4xx) is not, since the
    // same request would be refused again. 409 means the attempt is closed.
    var pending = {}, inflight = null, delay = 1000, retryTimer = 0, waiters = [];
    // The prediction is saved as it is typed, after a pause, and on leaving the field or
    // the page: typed and never left, it would be lost at a reload or the deadline.
    var typing = 0, typingPause = 700, lastPrediction = prediction ? prediction.value.trim() : "";
    var leaving = false;

    var show = function (k, text) { state.textContent = text || state.getAttribute("data-" + k); };
    var count = function () {
      var n = 0;
      for (var i = 0; i < total; i++) { if (form.querySelector("input[name=q" + i + "]:checked")) n++; }
      answered.textContent = n;
      if (label) label.textContent = label.getAttribute("data-template").replace("%d", n).replace("%d", total);
      return n;
    };
    var leave = function () {
      if (leaving) return;
      leaving = true;
      location.href = resultURL;
    };
    var post = function (batch, keepalive) {
      var body = new URLSearchParams();
      for (var k in batch) body.append(k, batch[k]);
      return fetch(saveURL, {
        method: "POST", body: body, credentials: "same-origin", keepalive: keepalive,
        headers: { "Accept": "application/json" }
      });
    };
    var markPrediction = function (msg) {
      if (!problem) return;
      problem.textContent = msg;
      if (msg) prediction.setAttribute("aria-invalid", "true");
      else prediction.removeAttribute("aria-invalid");
    };
    // queuePrediction puts the typed prediction in the next save, if it changed.
    var queuePrediction = function () {
      clearTimeout(typing);
      typing = 0;
      if (!prediction) return false;
      var v = prediction.value.trim();
      if (v === lastPrediction) return false;
      lastPrediction = v;
      if (v === "") {
        // Nothing to save: the server keeps the last prediction, and submitting asks for one.
        delete pending.prediction;
        markPrediction("");
        return false;
      }
      pending.prediction = v;
      return true;
    };
    var requeue = function (batch) {
      for (var k in batch) { if (!(k in pending)) pending[k] = batch[k]; }
    };
    var retryAfter = function (r) {
      var h = r.headers.get("Retry-After");
      if (!h) return NaN;
      var ms = /^\s*\d+\s*$/.test(h) ? 1000 * +h : Date.parse(h) - Date.now();
      return isNaN(ms) ? NaN : Math.min(Math.max(ms, 0), 300000);
    };
    var retry = function (ms) {
      if (isNaN(ms)) { ms = delay; delay = Math.min(delay * 2, 30000); }
      clearTimeout(retryTimer);
      retryTimer = setTimeout(function () { retryTimer = 0; flush(); }, ms);
    };
    var json = function (r) { return r.json().catch(function () { return {}; }); };
    var saved = function (batch, reply) {
      var refused = "prediction" in batch && reply.prediction_error;
      // "Saved" only when nothing else is on its way: a change made while this reply
      // travelled may be in flight or waiting, and a reload now would lose it.
      if (!inflight && !Object.keys(pending).length) show(refused ? "partial" : "saved");
      // A reply about a prediction since retyped says nothing of the one in the field.
      if ("prediction" in batch && prediction && batch.prediction === prediction.value.trim()) markPrediction(refused || "");
    };
    // flush sends what is pending, then calls done once nothing is left to send; force
    // sends at once even while a retry is due (the deadline has come).
    var flush = function (done, force) {
      if (done) waiters.push(done);
      if (inflight || (retryTimer && !force)) return;
      if (!Object.keys(pending).length) {
        var w = waiters;
        waiters = [];
        w.forEach(function (f) { f(); });
        return;
      }
      clearTimeout(retryTimer);
      retryTimer = 0;
      var batch = inflight = pending;
      pending = {};
      show("saving");
      post(batch, false).then(function (r) {
        inflight = null;
        if (r.ok) return json(r).then(function (reply) { delay = 1000; saved(batch, reply); flush(); });
        if (r.status === 409) { leave(); return; }
        if (r.status === 429 || r.status >= 500) { requeue(batch); show("failed"); retry(retryAfter(r)); return; }
        return json(r).then(function (reply) { show("refused", reply.error); flush(); });
      }, function () {
        inflight = null;
        requeue(batch);
        show("failed");
        retry(NaN);
      });
    };
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      timer.textContent = clock(left);
      timer.className = "timer" + (left < 60 ? " low" : "");
      if (left === 0) {
        queuePrediction();
        flush(leave, true);
        setTimeout(leave, 5000); // a save that hangs does not keep the page open
        return;
      }
      setTimeout(tick, 1000);
    };

    if (prediction) {
      prediction.addEventListener("input", function () {
        clearTimeout(typing);
        typing = setTimeout(function () { if (queuePrediction()) flush(); }, typingPause);
      });
      prediction.addEventListener("blur", function () { if (queuePrediction()) flush(); });
    }
    form.addEventListener("change", function (e) {
      var t = e.target;
      if (!t.name) return;
      if (t === prediction) { if (queuePrediction()) flush(); return; }
      pending[t.name] = t.value;
      count();
      flush();
    });
    // Switching apps on a phone may be the page's last moment.
    d.addEventListener("visibilitychange", function () {
      if (d.visibilityState === "hidden" && queuePrediction()) flush();
    });
    // Leaving (reload, link, closing the tab): what is unsaved goes in a request that
    // outlives the page, with what was in flight, which the page will not see answered.
    window.addEventListener("pagehide", function () {
      if (leaving) return;
      queuePrediction();
      var batch = {}, k;
      for (k in inflight) batch[k] = inflight[k];
      for (k in pending) batch[k] = pending[k];
      if (!Object.keys(batch).length) return;
      pending = {};
      post(batch, true).catch(function () {});
    });
    form.addEventListener("submit", function (e) {
      var submitter = e.submitter;
      // The form posts every answer itself.
      if (submitter && submitter.getAttribute("formaction")) { leaving = true; return; }
      var missing = total - count();
      if (!confirm(form.getAttribute("data-confirm"))) e.preventDefault();
      else leaving = true;
      return missing;
    });
    // Last: a page opened in its final second calls flush at once.
    tick();
  }

  // Unit type-ahead on registration (WAI-ARIA combobox with a listbox): after a pause in
  // typing, ask /units for the units whose words start with the words typed; choosing one
  // fills the hidden unit code, typing again clears it (the text is then matched by name on
  // the server, or kept as typed). Without script the page's find button does the search.
  var uf = d.querySelector(".unit-field");
  var unitInput = uf && d.getElementById("organization"), unitCode = uf && d.getElementById("unit");
  if (unitInput && unitCode && window.fetch) {
    var list = d.getElementById("unit-list"), status = d.getElementById("unit-status");
    var find = uf.querySelector(".unit-find");
    if (find) find.hidden = true;
    unitInput.setAttribute("role", "combobox");
    unitInput.setAttribute("aria-autocomplete", "list");
    unitInput.setAttribute("aria-expanded", "false");
    unitInput.setAttribute("aria-controls", "unit-list");
    var units = [], active = -1, timer = null, asked = "";
    var say = function (t) { status.textContent = t; };
    var close = function () {
      list.hidden = true; list.innerHTML = ""; units = []; active = -1;
      unitInput.setAttribute("aria-expanded", "false");
      unitInput.removeAttribute("aria-activedescendant");
    };
    var mark = function (i) {
      var items = list.children;
      for (var k = 0; k < items.length; k++) items[k].setAttribute("aria-selected", k === i ? "true" : "false");
      active = i;
      if (i >= 0) {
        unitInput.setAttribute("aria-activedescendant", items[i].id);
        items[i].scrollIntoView({ block: "nearest" });
      } else unitInput.removeAttribute("aria-activedescendant");
    };
    var choose = function (i) {
      var u = units[i];
      if (!u) return;
      unitInput.value = u.name;
      unitCode.value = u.code;
      close();
      say(uf.getAttribute("data-chosen").replace("%s", u.name + (u.parent ? " — " + u.parent : "")));
    };
    var show = function (found) {
      list.innerHTML = ""; units = found; active = -1;
      found.forEach(function (u, i) {
        var li = d.createElement("li");
        li.id = "unit-opt-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.appendChild(d.createTextNode(u.name));
        var small = d.createElement("small");
        small.textContent = (u.parent ? u.parent + " · " : "") + u.typeLabel;
        li.appendChild(small);
        // mousedown, not click: choosing must happen before the input loses focus.
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = found.length === 0;
      unitInput.setAttribute("aria-expanded", found.length ? "true" : "false");
      say(found.length ? uf.getAttribute("data-results").replace("%d", found.length) : uf.getAttribute("data-none"));
    };
    var ask = function () {
      var q = unitInput.value.trim();
      if (q.replace(/[^\p{L}\p{N}]/gu, "").length < 2) { close(); say(""); return; }
      if (q === asked) return;
      asked = q;
      fetch(uf.getAttribute("data-units") + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (a) {
          // An answer to an older text, or a refusal: show nothing rather than stale units.
          if (!a || unitInput.value.trim() !== q || d.activeElement !== unitInput) return;
          show(a.units || []);
        })
        .catch(function () { asked = ""; });
    };
    unitInput.addEventListener("input", function () {
      unitCode.value = "";
      asked = "";
      clearTimeout(timer);
      timer = setTimeout(ask, 250);
    });
    unitInput.addEventListener("keydown", function (e) {
      if (list.hidden) {
        if (e.key === "ArrowDown") { asked = ""; ask(); }
        return;
      }
      if (e.key === "ArrowDown") { e.preventDefault(); mark(Math.min(active + 1, units.length - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark(Math.max(active - 1, 0)); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(active); }
      else if (e.key === "Escape") { e.preventDefault(); close(); }
    });
    unitInput.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  // Anti-robot proof of work on registration and sign-in. The form is sent by script so
  // that two answers need no one to press again: 503 (the server is busy hashing
  // passwords: send again after Retry-After) and a harder challenge (solve the one the
  // server sent back, then send again).
  var cf = d.querySelector(".challenge-form");
  if (cf) {
    var token = cf.querySelector("input[name=challenge]");
    var work = cf.querySelector("input[name=work]");
    var auto = cf.querySelector(".challenge-auto"), busy = cf.querySelector(".challenge-busy");
    var solved = false, waiting = false, sending = false;
    var solve = function (bits, done) {
      var i = 0, zeros = null;
      if (auto) auto.hidden = false;
      var step = function () {
        // Built on the first step: the hash's constants are defined further down the file.
        zeros = zeros || powSolver(token.value + ":");
        for (var end = i + 20000; i < end; i++) {
          if (zeros(i) >= bits) {
            work.value = String(i);
            if (auto) auto.hidden = true;
            done();
            return;
          }
        }
        setTimeout(step, 0);
      };
      setTimeout(step, 0);
    };
    solve(+token.getAttribute("data-bits"), function () { solved = true; if (waiting) send(0); });
    // A refusal (wrong password, a field to correct) replaces this page with the server's
    // answer, as a navigation would.
    var replace = function (html, url) {
      history.replaceState(null, "", url);
      d.open(); d.write(html); d.close();
    };
    var send = function (tries) {
      if (!window.fetch || !window.URLSearchParams || !window.DOMParser) { cf.submit(); return; }
      sending = true;
      fetch(cf.getAttribute("action"), {
        method: "POST", body: new URLSearchParams(new FormData(cf)), credentials: "same-origin"
      }).then(function (r) {
        if (r.status === 503 && tries < 20) {
          var wait = (parseInt(r.headers.get("Retry-After"), 10) || 3) * 1000 + Math.random() * 1000;
          if (busy) { busy.textContent = busy.getAttribute("data-wait"); busy.hidden = false; }
          setTimeout(function () { send(tries + 1); }, wait);
          return;
        }
        // Signed in or registered: go where the server sent us.
        if (r.redirected) { location.assign(r.url); return; }
        return r.text().then(function (html) {
          var next = r.headers.get("X-Challenge-Harder") && tries < 3 &&
            new DOMParser().parseFromString(html, "text/html").querySelector("input[name=challenge]");
          if (!next) { replace(html, r.url); return; }
          token.value = next.value;
          solve(+next.getAttribute("data-bits"), function () { send(tries + 1); });
        });
      }).catch(function () { sending = false; cf.submit(); });
    };
    cf.addEventListener("submit", function (e) {
      e.preventDefault();
      if (sending) return;
      if (!solved) { waiting = true; return; }
      send(0);
    });
  }

  // The proof of work hashes token + ":" + counter with SHA-256 and counts the leading zero
  // bits. The token's full 64-byte blocks are the same for every counter, so their state is
  // computed once; each try hashes only the last block or two, in typed arrays reused from
  // try to try (no allocation: phones are slow, and the garbage collector slower).
  var K = new Int32Array(64);
  (function () {
    var n = 2, found = 0;
    while (found < 64) {
      var prime = true;
      for (var f = 2; f * f <= n; f++) { if (n % f === 0) { prime = false; break; } }
      if (prime) { K[found++] = (Math.pow(n, 1 / 3) % 1) * 4294967296 | 0; }
      n++;
    }
  })();
  var IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

  // compress runs SHA-256's compression of one 16-word block into the state H.
  function compress(H, block, W) {
    var t, x, y, t1, t2;
    for (t = 0; t < 16; t++) W[t] = block[t];
    for (t = 16; t < 64; t++) {
      x = W[t - 15]; y = W[t - 2];
      W[t] = (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) +
             (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + W[t - 7] + W[t - 16] | 0;
    }
    var h0 = H[0], h1 = H[1], h2 = H[2], h3 = H[3], h4 = H[4], h5 = H[5], h6 = H[6], h7 = H[7];
    for (t = 0; t < 64; t++) {
      t1 = h7 + (((h4 >>> 6) | (h4 << 26)) ^ ((h4 >>> 11) | (h4 << 21)) ^ ((h4 >>> 25) | (h4 << 7))) +
           ((h4 & h5) ^ (~h4 & h6)) + K[t] + W[t] | 0;
      t2 = (((h0 >>> 2) | (h0 << 30)) ^ ((h0 >>> 13) | (h0 << 19)) ^ ((h0 >>> 22) | (h0 << 10))) +
           ((h0 & h1) ^ (h0 & h2) ^ (h1 & h2)) | 0;
      h7 = h6; h6 = h5; h5 = h4; h4 = h3 + t1 | 0; h3 = h2; h2 = h1; h1 = h0; h0 = t1 + t2 | 0;
    }
    H[0] = H[0] + h0 | 0; H[1] = H[1] + h1 | 0; H[2] = H[2] + h2 | 0; H[3] = H[3] + h3 | 0;
    H[4] = H[4] + h4 | 0; H[5] = H[5] + h5 | 0; H[6] = H[6] + h6 | 0; H[7] = H[7] + h7 | 0;
  }

  // powSolver returns a function that answers, for a counter, how many leading zero bits
  // SHA-256(prefix + counter) has. The prefix is ASCII (a signed token and ":").
  function powSolver(prefix) {
    var bytes = [], k, j;
    for (k = 0; k < prefix.length; k++) bytes.push(prefix.charCodeAt(k) & 255);
    var fixed = bytes.length - bytes.length % 64;
    var state = new Int32Array(IV), W = new Int32Array(64), block = new Int32Array(16);
    for (k = 0; k < fixed; k += 64) {
      for (j = 0; j < 16; j++) {
        var o = k + 4 * j;
        block[j] = bytes[o] << 24 | bytes[o + 1] << 16 | bytes[o + 2] << 8 | bytes[o + 3];
      }
      compress(state, block, W);
    }
    var tail = bytes.slice(fixed), buf = new Uint8Array(128), H = new Int32Array(8);
    for (j = 0; j < tail.length; j++) buf[j] = tail[j];
    return function (counter) {
      var digits = String(counter), len = tail.length + digits.length, j, b;
      for (j = 0; j < digits.length; j++) buf[tail.length + j] = digits.charCodeAt(j);
      var end = len + 9 > 64 ? 128 : 64;
      buf[len] = 0x80;
      for (j = len + 1; j < end; j++) buf[j] = 0;
      var bits = (fixed + len) * 8;
      buf[end - 4] = bits >>> 24; buf[end - 3] = bits >>> 16 & 255; buf[end - 2] = bits >>> 8 & 255; buf[end - 1] = bits & 255;
      H.set(state);
      for (b = 0; b < end; b += 64) {
        for (j = 0; j < 16; j++) {
          var o = b + 4 * j;
          block[j] = buf[o] << 24 | buf[o + 1] << 16 | buf[o + 2] << 8 | buf[o + 3];
        }
        compress(H, block, W);
      }
      for (j = 0; j < 8; j++) { if (H[j] !== 0) return 32 * j + Math.clz32(H[j]); }
      return 256;
    };
  }
})();
