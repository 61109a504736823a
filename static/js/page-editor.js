/* The page editor's safety net (progressive: the form works without it).
   - Keeps what the editor types in this browser (localStorage) at once, and on the
     server every 15 seconds (PAGE_AUTOSAVE_SECONDS), so a closed tab or an expired session loses nothing.
   - Reports who else has the page open, every 15 seconds.
   - Asks before leaving the page with unsaved edits. */
(function () {
  "use strict";
  var state = document.getElementById("page-editor-state");
  if (!state || !window.fetch) return;
  var form = state.closest("form");
  var fields = JSON.parse(state.dataset.fields);
  var key = state.dataset.storageKey;
  var liveNotice = document.getElementById("editor-live-notice");
  var presence = document.getElementById("presence-notice");
  var INTERVAL = Number(state.dataset.intervalMs) || 15000;

  function collect() {
    var out = {};
    fields.forEach(function (name) {
      var el = form.elements[name];
      if (el && typeof el.value === "string") out[name] = el.value;
    });
    return out;
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  function say(text) {
    liveNotice.textContent = text;
    liveNotice.hidden = !text;
  }
  function readKept() {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  // A save that went through (the page came back without errors) ends what was kept.
  if (sessionStorage.getItem("submitted:" + key) && state.dataset.hasErrors === "0") {
    localStorage.removeItem(key);
  }
  sessionStorage.removeItem("submitted:" + key);

  var original = collect();
  var lastSent = original;
  var submitting = false;

  function dirty() { return !same(collect(), original); }

  function keepLocally() {
    if (dirty()) {
      localStorage.setItem(key, JSON.stringify({ data: collect(), savedAt: Date.now() }));
    }
  }

  function send(force) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    var now = collect();
    var changed = dirty() && (force || !same(now, lastSent));
    if (changed) body.append("data", JSON.stringify(now));
    return fetch(state.dataset.autosaveUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.status === 403) {
        say("You are signed out. Your changes are kept in this browser: sign in again in another tab, then reopen this page to get them back.");
        return;
      }
      if (!response.ok) return;
      return response.json().then(function (answer) {
        if (changed) {
          lastSent = now;
          say(answer.saved_at ? "Unsaved changes kept on the server at " + answer.saved_at + "." : "");
        }
        if (presence) {
          var others = answer.others || [];
          presence.textContent = others.length
            ? "Also editing this page now: " + others.join(", ") + ". If you both save, the second save is stopped and shown both versions."
            : "";
          presence.hidden = !others.length;
        }
      });
    }).catch(function () { /* offline: the browser copy stays */ });
  }

  form.addEventListener("input", keepLocally);
  form.addEventListener("change", keepLocally);
  form.addEventListener("submit", function () {
    submitting = true;
    sessionStorage.setItem("submitted:" + key, "1");
  });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && dirty()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  window.setInterval(function () { send(false); }, INTERVAL);
  send(false);

  // Typing kept in this browser and newer than what the server holds (e.g. typed
  // while signed out): offer it back.
  var kept = readKept();
  if (kept && kept.savedAt > Number(state.dataset.serverSavedAt || 0) && !same(kept.data, original)) {
    var offer = document.createElement("p");
    offer.className = "restore-offer";
    offer.id = "browser-restore-offer";
    var when = new Date(kept.savedAt);
    offer.textContent = "Restore your unsaved changes from " +
      when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + "? ";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Restore them";
    button.addEventListener("click", function () {
      Object.keys(kept.data).forEach(function (name) {
        var el = form.elements[name];
        if (el && typeof el.value === "string") el.value = kept.data[name];
      });
      offer.remove();
      send(true);
    });
    offer.appendChild(button);
    form.insertBefore(offer, form.firstChild);
  }
})();
