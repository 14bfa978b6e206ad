/* Executive overview: render the 13-month trends only when their section comes into view.

   watchTrends is a clientside callback (pages/executive.py) fired once the worst exceptions (the last section
   above the trends) are rendered. It waits until the page has its height (no Dash component loading, every
   graph drawn: before plotly.js has loaded, graphs take no room and every section looks "in view"), then
   observes the trends section and, once it is within a screen's reach, sets the page's `trends-shown` store to
   true, which runs the server callback that renders the charts. It returns no_update, so a person who never
   scrolls down never pays for 13 charts. Without IntersectionObserver the trends load at once. */
(function () {
  "use strict";
  const REACH_PX = 300;  // start loading this far before the section scrolls in
  const observers = {};  // one observer per store id: a re-rendered page replaces the previous one

  function show(storeId) {
    window.dash_clientside.set_props(storeId, {data: true});
  }

  function settled() {
    if (document.querySelector('[data-dash-is-loading="true"]')) { return false; }
    return Array.from(document.querySelectorAll(".dash-graph")).every((g) => g.querySelector(".main-svg"));
  }

  function inReach(section) {  // checked again when the observer reports: the page may have grown since
    return section.getBoundingClientRect().top < window.innerHeight + REACH_PX;
  }

  function observe(sectionId, storeId, triesLeft) {
    const section = document.getElementById(sectionId);
    if (triesLeft > 0 && (!section || !settled())) {
      window.setTimeout(() => observe(sectionId, storeId, triesLeft - 1), 100);
      return;
    }
    if (!section) { return; }  // the page was left
    if (observers[storeId]) { observers[storeId].disconnect(); }
    if (!("IntersectionObserver" in window)) { show(storeId); return; }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && inReach(section)) {
        observer.disconnect();
        delete observers[storeId];
        show(storeId);
      }
    }, {rootMargin: `0px 0px ${REACH_PX}px 0px`});
    observers[storeId] = observer;
    observer.observe(section);
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.executive = {
    watchTrends: function (_exceptions, sectionId, storeId) {
      observe(sectionId, storeId, 150);  // waits at most 15 s for the page to settle
      return window.dash_clientside.no_update;
    },
  };
})();
