/* The TV board (pages/tv.py), running unattended in the browser.

   gate: the refresh interval's tick becomes a refresh (the server callback that renders every panel) unless
   the previous refresh is still running; a refresh that never answers is given up after 1.5 intervals.
   tick (every second, and when a refresh answers): the clock, the panel shown (rotation by the playlist's
   dwell times), the stale banner ("Stale since HH:MM" when the last refresh failed or none succeeded for
   twice the interval, or the server served stale values) and the "revoked" screen.
   The board's own refresh requests are watched (fetch): a network failure or an error status keeps the
   last values and marks the refresh failed; a 401 means the display was revoked or its token rotated.
   Once a night (the server's reload hour, spread over ten minutes) the page reloads, if the server answers,
   to clear what the browser accumulated. */
(function () {
  "use strict";
  const S = {started: Date.now(), inflight: 0, lastOk: 0, failedAt: 0, revoked: false, message: "", out: {},
             reloadArmed: false};
  const realFetch = window.fetch.bind(window);

  window.fetch = function (input, init) {
    const url = typeof input === "string" ? input : (input && input.url) || "";
    const body = init && typeof init.body === "string" ? init.body : "";
    const ours = url.indexOf("_dash-update-component") !== -1 && body.indexOf("tv-deck.children") !== -1;
    const pending = realFetch(input, init);
    if (!ours) { return pending; }
    return pending.then(function (res) {
      if (res.status === 401) {
        S.revoked = true;
      } else if (!res.ok) {
        S.failedAt = Date.now(); S.inflight = 0; S.message = "The server answered with an error (" + res.status + ").";
      }
      return res;
    }, function (err) {
      S.failedAt = Date.now(); S.inflight = 0; S.message = "The server cannot be reached.";
      throw err;
    });
  };

  function hhmm(ms, zone) {
    try {
      return new Intl.DateTimeFormat("en-GB", {timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23"})
        .format(new Date(ms));
    } catch (e) { return new Date(ms).toTimeString().slice(0, 5); }
  }

  function day(ms, zone) {
    try {
      return new Intl.DateTimeFormat("en-GB", {timeZone: zone, weekday: "short", day: "2-digit", month: "short"})
        .format(new Date(ms));
    } catch (e) { return ""; }
  }

  function panelAt(playlist, elapsedS) {
    const dwell = playlist.map(function (p) { return Math.max(1, Number(p.dwell_s) || 20); });
    const cycle = dwell.reduce(function (a, b) { return a + b; }, 0);
    let t = elapsedS % cycle;
    for (let i = 0; i < dwell.length; i++) {
      if (t < dwell[i]) { return i; }
      t -= dwell[i];
    }
    return 0;
  }

  function tryReload() {
    realFetch("/healthz", {cache: "no-store", credentials: "same-origin"}).then(function (res) {
      if (res.ok) { window.location.reload(); } else { window.setTimeout(tryReload, 60000); }
    }, function () { window.setTimeout(tryReload, 60000); });
  }

  // A wall display whose board never came up (the server was restarting when the TV booted, the layout request
  // failed): nothing else would ever retry it, so once a minute, while the page holds no layout at all, reload
  // when the server answers. A page that did render (a board, or a "not found" for a bad URL) never reloads.
  if (/^\/tv(\/|$)/.test(window.location.pathname)) {
    window.setInterval(function () {
      const content = document.getElementById("_pages_content");  // Dash Pages' container: empty if the layout failed
      if (document.getElementById("tv-board") || (content && content.children.length)) { return; }
      realFetch("/healthz", {cache: "no-store", credentials: "same-origin"}).then(function (res) {
        if (res.ok) { window.location.reload(); }
      }, function () {});  // not answering: the next minute tries again
    }, window.tvWatchdogMs || 60000);  // tests set a shorter period before the page loads
  }

  function changed(key, value) {  // no_update when a value is what was last returned: nothing re-renders
    if (S.out[key] === value) { return window.dash_clientside.no_update; }
    S.out[key] = value;
    return value;
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.tv = {
    gate: function (_n, config) {
      const now = Date.now();
      const refreshMs = 1000 * ((config && config.refresh_s) || 60);
      if (S.revoked) { return window.dash_clientside.no_update; }
      if (S.inflight && now - S.inflight < Math.max(1.5 * refreshMs, 15000)) {
        return window.dash_clientside.no_update;  // the previous refresh still runs: skip this tick
      }
      if (S.inflight) { S.failedAt = now; S.message = "The last refresh did not answer."; }
      S.inflight = now;
      return now;
    },

    tick: function (n, state, config) {
      const now = Date.now();
      if (!n) { S.out = {}; }  // a board just (re)mounted: every output is written once
      const cfg = config || {};
      const zone = cfg.zone || "UTC";
      const triggered = (window.dash_clientside.callback_context.triggered || []).map(function (t) { return t.prop_id; });
      if (triggered.indexOf("tv-state.data") !== -1 && state) {
        S.inflight = 0;
        if (state.ok) { S.lastOk = now; S.failedAt = 0; S.message = ""; } else { S.failedAt = now; S.message = state.message || ""; }
      }
      if (!S.reloadArmed && cfg.reload_in_s) {
        S.reloadArmed = true;
        window.setTimeout(tryReload, 1000 * (cfg.reload_in_s + Math.random() * 600));
      }
      const playlist = (state && state.playlist && state.playlist.length) ? state.playlist : (cfg.playlist || []);
      const shown = playlist.length ? panelAt(playlist, Math.floor((now - S.started) / 1000)) : 0;
      const refreshMs = 1000 * (cfg.refresh_s || 60);
      let since = null;
      let why = "";
      if (S.failedAt) {
        since = S.lastOk || S.started;
        why = S.message || "The last refresh failed.";
      } else if (S.lastOk && now - S.lastOk > 2 * refreshMs) {
        since = S.lastOk;
        why = "No refresh for over twice the refresh interval.";
      } else if (state && state.stale_since) {
        since = Date.parse(state.stale_since);
        why = "The Odoo replica could not refresh these figures.";
      }
      const stale = since === null ? "" : "! Stale since " + hhmm(since, zone) + " · " + why + " Showing the last good values.";
      return [
        changed("clock", hhmm(now, zone) + " · " + day(now, zone)),
        changed("deck", "tv-deck tv-show-" + shown),
        changed("stale", stale),
        changed("staleClass", stale ? "tv-stale" : "tv-stale tv-hidden"),
        changed("revoked", S.revoked ? "tv-revoked" : "tv-revoked tv-hidden"),
      ];
    },
  };
})();
