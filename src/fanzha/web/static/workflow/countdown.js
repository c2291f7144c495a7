// Live countdowns for deadlines: every element with data-due (ISO time) shows the time left or overdue.
(function () {
  "use strict";
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function format(ms) {
    var s = Math.floor(Math.abs(ms) / 1000);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return (h > 0 ? h + ":" + pad(m) : String(m)) + ":" + pad(sec);
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var left = Date.parse(el.getAttribute("data-due")) - now;
      if (isNaN(left)) { return; }
      el.textContent = left >= 0 ? "剩余 " + format(left) : "已超时 " + format(left);
      el.classList.toggle("overdue", left < 0);
      el.classList.toggle("soon", left >= 0 && left < 60000);
    });
  }
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);
  setInterval(tick, 1000);
})();
