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
    var total = form.querySelectorAll("fieldset.question:not(.prediction)").length;
    // The server sends seconds left by its own clock; counting from page load keeps the
    // countdown right even when the phone's clock is wrong.
    var deadline = Date.now() + 1000 * +timer.getAttribute("data-seconds-left");
    var resultURL = form.getAttribute("action").replace(/\/submit$/, "/result");
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      timer.textContent = clock(left);
      timer.className = "timer" + (left < 60 ? " low" : "");
      if (left === 0) { flush(function () { location.href = resultURL; }); return; }
      setTimeout(tick, 1000);
    };

    var pending = {}, sending = false, delay = 1000;
    var csrf = form.querySelector("input[name=csrf]").value;
    var show = function (k) { state.textContent = state.getAttribute("data-" + k); };
    var count = function () {
      var n = 0;
      for (var i = 0; i < total; i++) { if (form.querySelector("input[name=q" + i + "]:checked")) n++; }
      answered.textContent = n;
      if (label) label.textContent = label.getAttribute("data-template").replace("%d", n).replace("%d", total);
      return n;
    };
    var flush = function (done) {
      var keys = Object.keys(pending);
      if (sending || !keys.length) { if (done && !sending) done(); return; }
      var body = new URLSearchParams();
      keys.forEach(function (k) { body.append(k, pending[k]); });
      var sent = pending; pending = {}; sending = true; show("saving");
      fetch(form.getAttribute("data-save"), {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRF-Token": csrf }
      }).then(function (r) {
        sending = false;
        if (r.ok) { show("saved"); delay = 1000; flush(done); return; }
        if (r.status === 409) { location.href = resultURL; return; }
        throw new Error("HTTP " + r.status);
      }).catch(function () {
        sending = false; show("failed");
        for (var k in sent) { if (!(k in pending)) pending[k] = sent[k]; }
        delay = Math.min(delay * 2, 30000);
        setTimeout(function () { flush(done); }, delay);
      });
    };
    form.addEventListener("change", function (e) {
      var t = e.target;
      if (!t.name) return;
      if (t.name === "prediction" && !/^[0-9][0-9 .]*$/.test(t.value.trim())) return;
      pending[t.name] = t.value.trim();
      count();
      flush();
    });
    form.addEventListener("submit", function (e) {
      var submitter = e.submitter;
      if (submitter && submitter.getAttribute("formaction")) return;
      var missing = total - count();
      if (!confirm(form.getAttribute("data-confirm"))) e.preventDefault();
      return missing;
    });
    // Last: a page opened in its final second calls flush at once.
    tick();
  }

  // Anti-robot proof of work on registration and sign-in.
  var cf = d.querySelector(".challenge-form");
  if (cf) {
    var token = cf.querySelector("input[name=challenge]");
    var work = cf.querySelector("input[name=work]");
    var bits = +token.getAttribute("data-bits");
    var sumBox = cf.querySelector(".challenge-sum"), auto = cf.querySelector(".challenge-auto");
    var solved = false, waiting = false;
    if (sumBox) sumBox.hidden = true;
    if (auto) auto.hidden = false;
    var i = 0;
    var step = function () {
      var end = i + 4000;
      for (; i < end; i++) {
        if (zeroBits(sha256(token.value + ":" + i)) >= bits) {
          work.value = String(i); solved = true;
          if (auto) auto.hidden = true;
          if (waiting) cf.submit();
          return;
        }
      }
      setTimeout(step, 0);
    };
    setTimeout(step, 0);
    cf.addEventListener("submit", function (e) {
      if (!solved) { e.preventDefault(); waiting = true; }
    });
  }

  function zeroBits(h) {
    var n = 0;
    for (var j = 0; j < h.length; j++) {
      if (h[j] === 0) { n += 32; continue; }
      return n + Math.clz32(h[j]);
    }
    return n;
  }

  // SHA-256 of an ASCII string, as 8 unsigned 32-bit words.
  var K = [];
  (function () {
    var n = 2, found = 0;
    while (found < 64) {
      var prime = true;
      for (var f = 2; f * f <= n; f++) { if (n % f === 0) { prime = false; break; } }
      if (prime) { K[found++] = (Math.pow(n, 1 / 3) % 1) * 4294967296 | 0; }
      n++;
    }
  })();
  function sha256(s) {
    var H = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var l = s.length, words = [], W = new Array(64);
    for (var a = 0; a < l; a++) words[a >> 2] |= (s.charCodeAt(a) & 255) << (24 - (a % 4) * 8);
    words[l >> 2] |= 0x80 << (24 - (l % 4) * 8);
    var nw = ((l + 8) >> 6 << 4) + 16;
    for (var z = 0; z < nw; z++) words[z] |= 0;
    words[nw - 1] = l * 8;
    for (var b = 0; b < nw; b += 16) {
      var h0 = H[0], h1 = H[1], h2 = H[2], h3 = H[3], h4 = H[4], h5 = H[5], h6 = H[6], h7 = H[7];
      for (var t = 0; t < 64; t++) {
        if (t < 16) W[t] = words[b + t];
        else {
          var x = W[t - 15], y = W[t - 2];
          W[t] = (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) +
                 (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + W[t - 7] + W[t - 16] | 0;
        }
        var t1 = h7 + (((h4 >>> 6) | (h4 << 26)) ^ ((h4 >>> 11) | (h4 << 21)) ^ ((h4 >>> 25) | (h4 << 7))) +
                 ((h4 & h5) ^ (~h4 & h6)) + K[t] + W[t] | 0;
        var t2 = (((h0 >>> 2) | (h0 << 30)) ^ ((h0 >>> 13) | (h0 << 19)) ^ ((h0 >>> 22) | (h0 << 10))) +
                 ((h0 & h1) ^ (h0 & h2) ^ (h1 & h2)) | 0;
        h7 = h6; h6 = h5; h5 = h4; h4 = h3 + t1 | 0; h3 = h2; h2 = h1; h1 = h0; h0 = t1 + t2 | 0;
      }
      H[0] = H[0] + h0 | 0; H[1] = H[1] + h1 | 0; H[2] = H[2] + h2 | 0; H[3] = H[3] + h3 | 0;
      H[4] = H[4] + h4 | 0; H[5] = H[5] + h5 | 0; H[6] = H[6] + h6 | 0; H[7] = H[7] + h7 | 0;
    }
    return H.map(function (v) { return v >>> 0; });
  }
})();
