// Keeps the shell's "screen-scale" store equal to the page's type scale (rem / 16 px, which app.css grows
// on wall and 4K screens) when a resize crosses one of its breakpoints: a window moved to a wall screen,
// a kiosk browser that starts small and goes full screen. Figures, sized in pixels, are rebuilt to follow.
(function () {
    var last = null, timer = null;
    function scale() { return parseFloat(getComputedStyle(document.documentElement).fontSize) / 16; }
    function update() {
        var now = scale();
        if (now !== last && window.dash_clientside && window.dash_clientside.set_props) {
            last = now;
            window.dash_clientside.set_props("screen-scale", {data: now});
        }
    }
    window.addEventListener("load", function () { last = scale(); });
    window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(update, 250); });
})();
