// The bid deadline's countdown (partials/deadline_clock.html), by the platform's clock.
// The page says what the platform's time was when it was made (data-server-now); the
// difference from this device's clock at that moment is kept, so the countdown follows the
// platform whatever this device's clock says. Every second it rewrites the time left, in the
// sentences the server translated (data-text-*). Without this script, the page shows the
// times as they were when it was made. It announces nothing by itself (role="timer"); when the
// deadline passes, it says so and tells the page (event "pregon:deadline-passed"), whose own
// status message announces it where that matters (the bid page).
(function () {
  "use strict";

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function left(seconds, root) {
    var days = Math.floor(seconds / 86400);
    var rest = seconds % 86400;
    var time =
      pad(Math.floor(rest / 3600)) + ":" + pad(Math.floor((rest % 3600) / 60)) + ":" + pad(rest % 60);
    if (days === 0) {
      return time;
    }
    var sentence = root.getAttribute(days === 1 ? "data-text-one" : "data-text-other") || "";
    return sentence.replace("%(days)s", String(days)).replace("%(time)s", time);
  }

  function start(root) {
    var deadline = Date.parse(root.getAttribute("data-deadline"));
    var serverNow = Date.parse(root.getAttribute("data-server-now"));
    var output = root.querySelector("[data-countdown]");
    if (isNaN(deadline) || isNaN(serverNow) || !output) {
      return;
    }
    // What to add to this device's clock to read the platform's.
    var offset = serverNow - Date.now();
    var timer = null;

    function tick() {
      // Rounded up: the platform takes bids until the deadline itself, so the countdown says
      // it has passed only once it has (with half a second left, it shows 00:00:01).
      var remaining = Math.ceil((deadline - (Date.now() + offset)) / 1000);
      if (remaining <= 0) {
        output.textContent = root.getAttribute("data-text-passed") || "";
        window.clearInterval(timer);
        document.dispatchEvent(new CustomEvent("pregon:deadline-passed"));
        return;
      }
      output.textContent = left(remaining, root);
    }

    timer = window.setInterval(tick, 1000);
    tick();
  }

  function startAll() {
    var clocks = document.querySelectorAll("[data-deadline-clock]");
    for (var i = 0; i < clocks.length; i += 1) {
      start(clocks[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
